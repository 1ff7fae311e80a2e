#pragma once
// The node's model runtime: the import job and the inference worker, each on its own thread, so that
// neither the UI nor the node worker ever waits on disk or LibTorch (DESIGN.md section 3).
//
// Chats stream by polling (docs/rpc.md, "Model"): startChat() queues a generation and returns its id at
// once; the inference thread appends each token with the text it makes safe to show; chat() returns the
// pieces from an index on, so a caller polls with the count it already has. The RPC server answers one
// request at a time on one thread and has no streaming responses, so a long-poll or chunked answer would
// stall every other RPC call; a poll costs one short request.
//
// The first chat (or load()) assembles the model from the chain heads (chain_model.h). A generation
// records which experts ran per layer (counts of forward steps that used each expert), named by chain
// object, for the answer's record and later inference rewards.

#include "model/chain_model.h"
#include "model/importer.h"
#include "engine/runtime/generator.h"

#include <QString>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace blyan::model {

struct ModelSettings {
    std::string device = "cpu";
    std::string dtype = "auto";
    std::int64_t maxContext = 4096;
    std::optional<std::uint64_t> gpuBudget, ramBudget;  // bytes; nullopt: from the detected hardware
    int threads = 0;                                      // LibTorch/engine threads; 0: one per core
};

struct Budgets {
    std::uint64_t gpu = 0, ram = 0;
    std::string gpuSource, ramSource;  // "setting", or how it was derived
};
// RAM: the setting, or 40 % of physical memory. GPU (CUDA devices only): the setting, or 80 % of the
// device's memory as nvidia-smi reports it; 0 (tier off) when neither is there, with the reason.
Budgets resolveBudgets(const ModelSettings &settings);

struct ChatRequest {
    std::vector<std::int32_t> promptIds;      // used as is when given
    std::string prompt;                       // raw text (tokenized with the model's special tokens)
    std::vector<engine::ChatMessage> messages;  // rendered with the model's chat template
    std::optional<bool> enableThinking;
    engine::GenerationOptions generation;     // `cancel` is set by the service
};

struct ExpertUse {
    int layer = 0, expert = 0;
    std::uint32_t steps = 0;   // forward steps (a prefill is one) that ran this expert
    std::string object;        // chain object name
};

struct ChatPiece {
    std::int32_t token = -1;
    std::string text;
};

struct ChatState {
    std::uint64_t id = 0;
    std::string state;  // queued, loading, running, done, failed, cancelled
    std::vector<ChatPiece> pieces;  // from the requested index on
    std::size_t totalPieces = 0;
    std::string error;
    std::optional<engine::GenerationResult> result;
    std::vector<ExpertUse> experts;
};

class ModelService {
public:
    ModelService(QString dataDir, ModelSettings settings);
    ~ModelService();

    // The node hands over its chain access when it starts (the object store comes through it, on first use).
    void attach(std::shared_ptr<ModelChain> chain);
    // Cancels the import and every chat and joins the threads (quick: both check between pieces/tokens).
    void shutdown();

    Status startImport(const std::string &dir);
    void cancelImport();
    ImportProgress importProgress() const;
    // Called on the import thread after every progress step and at the end.
    void setImportListener(std::function<void(const ImportProgress &)> listener);

    Expected<std::uint64_t> startChat(ChatRequest request);
    Expected<ChatState> chat(std::uint64_t id, std::size_t from) const;
    Status cancelChat(std::uint64_t id);
    // Drops the loaded model so the next chat assembles it again from the current heads.
    void unload();

    const ModelSettings &settings() const { return settings_; }
    Budgets budgets() const { return budgets_; }
    // The loaded model (null before the first chat), and the last load error.
    std::shared_ptr<ChainModel> loaded() const;
    std::string loadError() const;
    Expected<std::shared_ptr<ChainModel>> readFromChain() const;  // spec + heads, no load

private:
    struct Chat;
    void inferenceLoop();
    void runChat(const std::shared_ptr<Chat> &chat);
    Status ensureLoaded(const std::shared_ptr<Chat> &chat);
    Expected<storage::ObjectStore> store() const;

    QString dataDir_;
    ModelSettings settings_;
    Budgets budgets_;

    mutable std::mutex mu_;
    std::condition_variable cv_;
    mutable std::optional<storage::ObjectStore> store_;
    std::shared_ptr<ModelChain> chain_;
    bool attached_ = false, stopping_ = false;

    std::thread importThread_;
    std::atomic<bool> importCancel_{false};
    bool importRunning_ = false;
    ImportProgress import_;
    std::function<void(const ImportProgress &)> importListener_;

    std::thread inferenceThread_;
    std::deque<std::shared_ptr<Chat>> queue_;
    std::map<std::uint64_t, std::shared_ptr<Chat>> chats_;
    std::uint64_t nextChat_ = 1;
    std::shared_ptr<ChainModel> model_;
    std::unique_ptr<engine::Generator> generator_;
    std::string loadError_;
    bool reload_ = false;
};

}  // namespace blyan::model
