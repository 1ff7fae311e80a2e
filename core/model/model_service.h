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

// countTokens: the prompt's size as startChat would build it, and the context a chat gets.
struct TokenCount {
    std::size_t count = 0;                // tokens of the whole prompt (template, special tokens, generation prompt)
    std::vector<std::size_t> perMessage;  // tokens of each message's content alone (messages only)
    std::vector<std::int32_t> ids;        // the prompt's ids
    std::int64_t contextLength = 0;       // prompt + answer must fit in this many tokens
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
    // Counts the prompt of `request` exactly as a chat would build it, without loading the weights: runs on
    // the caller's thread (the tokenizer is thread-safe). The first call after a start or an import reads
    // the tokenizer from the object store (about 1 s for Qwen3's); later calls reuse it.
    Expected<TokenCount> countTokens(const ChatRequest &request) const;
    // Drops the loaded model so the next chat assembles it again from the current heads.
    void unload();

    ModelSettings settings() const;
    Budgets budgets() const;
    // What the Settings panel and `setmodelsettings` change. Unset fields stay; a budget of nullopt inside
    // goes back to the hardware default.
    struct SettingsChange {
        std::optional<std::string> device;
        std::optional<std::optional<std::uint64_t>> ramBudget, gpuBudget;
    };
    // Applies at once: new budgets resize the loaded model's expert tiers (evicting what no longer fits); a new
    // device makes the next chat assemble the model again on it. Returns the budgets now in force.
    Budgets updateSettings(const SettingsChange &change);
    // The loaded model (null before the first chat), and the last load error.
    std::shared_ptr<ChainModel> loaded() const;
    std::string loadError() const;
    Expected<std::shared_ptr<ChainModel>> readFromChain() const;  // spec + heads, no load
    // Forward steps each expert object ran (by name, e.g. "layer3.expert17"), summed over every chat
    // since the service started (the explorer's usage grid); kept in memory only.
    std::map<std::string, std::uint64_t> expertUsageTotals() const;

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
    std::map<std::string, std::uint64_t> usageTotals_;

    // countTokens' tokenizer and template, apart from mu_ (a first load takes a second; chats must not wait).
    mutable std::mutex textMu_;
    mutable std::optional<TextSide> text_;
    mutable std::atomic<bool> textStale_{false};  // an import moved the heads
};

}  // namespace blyan::model
