#include "model/model_service.h"

#include "engine/runtime.h"
#include "engine/runtime/text_decoder.h"
#include "engine/util/error.h"
#include "util/log.h"

#include <QProcess>

#include <sys/resource.h>
#include <unistd.h>

namespace blyan::model {

namespace {

constexpr std::size_t kKeptChats = 256;

// Total memory of CUDA device `index` in bytes from nvidia-smi (ships with the NVIDIA driver on Linux and
// Windows); 0 when it cannot be asked. LibTorch 1.13's C++ API has no device-memory query without the
// CUDA headers, which a CPU build does not have.
std::uint64_t cudaDeviceMemory(int index, std::string &why)
{
    QProcess p;
    p.start(QStringLiteral("nvidia-smi"), {QStringLiteral("--query-gpu=memory.total"), QStringLiteral("--format=csv,noheader,nounits")});
    if (!p.waitForFinished(5000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        why = "nvidia-smi is not available";
        return 0;
    }
    const QList<QByteArray> lines = p.readAllStandardOutput().split('\n');
    if (index < 0 || index >= lines.size()) {
        why = "nvidia-smi lists no device " + std::to_string(index);
        return 0;
    }
    bool ok = false;
    const qulonglong mib = lines[index].trimmed().toULongLong(&ok);
    if (!ok) {
        why = "nvidia-smi printed no memory size";
        return 0;
    }
    return static_cast<std::uint64_t>(mib) << 20;
}

// The prompt ids of a chat request, the same for a chat and for countTokens.
Expected<std::vector<std::int32_t>> buildPrompt(const ChatRequest &r, const engine::Tokenizer *tokenizer,
                                                const std::optional<engine::ChatTemplate> &chatTemplate)
{
    if (!r.promptIds.empty()) return r.promptIds;
    if (!tokenizer) return makeError(ErrorCode::Unavailable, "this model has no tokenizer on the chain: send prompt_ids");
    if (!r.messages.empty()) {
        if (!chatTemplate) return makeError(ErrorCode::Unavailable, "this model has no chat template on the chain: send a prompt");
        engine::ChatOptions co;
        co.enableThinking = r.enableThinking;
        return tokenizer->encode(chatTemplate->render(r.messages, co), false);
    }
    return tokenizer->encode(r.prompt, true);
}

}  // namespace

struct ModelService::Chat {
    std::uint64_t id = 0;
    ChatRequest request;
    std::atomic<bool> cancel{false};
    std::string state = "queued";
    std::vector<ChatPiece> pieces;
    std::string error;
    std::optional<engine::GenerationResult> result;
    std::vector<ExpertUse> experts;
};

Expected<storage::ObjectStore> ModelService::store() const
{
    std::shared_ptr<ModelChain> chain;
    {
        std::lock_guard<std::mutex> l(mu_);
        if (store_) return *store_;
        if (!chain_) return makeError(ErrorCode::Unavailable, "the node is not running");
        chain = chain_;
    }
    BLYAN_TRY(auto s, chain->objectStore());
    std::lock_guard<std::mutex> l(mu_);
    store_ = s;
    return s;
}

Budgets resolveBudgets(const ModelSettings &s)
{
    Budgets b;
    if (s.ramBudget) {
        b.ram = *s.ramBudget;
        b.ramSource = "setting expertcacheram";
    } else {
        const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
        const std::uint64_t total = pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) : 0;
        b.ram = total / 10 * 4;
        b.ramSource = "40 % of " + std::to_string(total >> 20) + " MiB of RAM";
    }
    const bool cuda = s.device.rfind("cuda", 0) == 0;
    if (!cuda) {
        b.gpuSource = "no GPU tier: the model runs on " + s.device;
    } else if (s.gpuBudget) {
        b.gpu = *s.gpuBudget;
        b.gpuSource = "setting expertcachegpu";
    } else {
        const int index = s.device.size() > 5 ? std::atoi(s.device.c_str() + 5) : 0;
        std::string why;
        const std::uint64_t total = cudaDeviceMemory(index, why);
        b.gpu = total / 10 * 8;
        b.gpuSource = total ? "80 % of " + std::to_string(total >> 20) + " MiB on " + s.device
                            : "GPU tier off (" + why + "); set expertcachegpu in blyan.conf";
    }
    return b;
}

ModelService::ModelService(QString dataDir, ModelSettings settings) : dataDir_(std::move(dataDir)), settings_(std::move(settings)) {}

ModelService::~ModelService() { shutdown(); }

void ModelService::attach(std::shared_ptr<ModelChain> chain)
{
    std::lock_guard<std::mutex> l(mu_);
    if (attached_ || stopping_) return;
    chain_ = std::move(chain);
    attached_ = true;
    inferenceThread_ = std::thread([this] { inferenceLoop(); });
}

void ModelService::shutdown()
{
    {
        std::lock_guard<std::mutex> l(mu_);
        stopping_ = true;
        importCancel_ = true;
        for (auto &[id, c] : chats_) c->cancel = true;
    }
    cv_.notify_all();
    if (importThread_.joinable()) importThread_.join();
    if (inferenceThread_.joinable()) inferenceThread_.join();
    std::lock_guard<std::mutex> l(mu_);
    generator_.reset();
    model_.reset();
}

// --- import -------------------------------------------------------------------------------------

Status ModelService::startImport(const std::string &dir)
{
    std::lock_guard<std::mutex> l(mu_);
    if (!attached_ || stopping_) return makeError(ErrorCode::Unavailable, "the node is not running");
    if (importRunning_)
        return makeError(ErrorCode::Busy, "an import of " + import_.dir + " is running (" + phaseName(import_.phase) +
                                              "); wait for it or cancel it (abortimport)");
    if (importThread_.joinable()) importThread_.join();  // the previous, finished one
    importRunning_ = true;
    importCancel_ = false;
    import_ = ImportProgress{};
    import_.dir = dir;
    import_.phase = ImportProgress::Phase::Reading;
    importThread_ = std::thread([this, dir] {
        const auto publish = [this](const ImportProgress &p) {
            std::function<void(const ImportProgress &)> listener;
            {
                std::lock_guard<std::mutex> g(mu_);
                import_ = p;
                listener = importListener_;
            }
            if (listener) listener(p);
        };
        auto journal = ImportJournal::open(dataDir_ + QStringLiteral("/model_import.sqlite"));
        auto objects = store();
        Expected<ImportProgress> r = !journal.ok() ? Expected<ImportProgress>(journal.error())
                                     : !objects.ok() ? Expected<ImportProgress>(objects.error())
                                     : ModelImporter(*objects, *journal, *chain_).run(dir, importCancel_, publish);
        ImportProgress last;
        {
            std::lock_guard<std::mutex> g(mu_);
            last = import_;
        }
        if (r.ok()) {
            last = *r;
            qCInfo(lcNode).noquote() << "model import of" << QString::fromStdString(dir) << "done:" << last.written
                                     << "payloads written," << last.resumed << "resumed," << last.published << "published";
            std::lock_guard<std::mutex> g(mu_);
            reload_ = true;  // the heads moved: the next chat assembles the model again
            textStale_ = true;
        } else {
            last.phase = importCancel_ ? ImportProgress::Phase::Cancelled : ImportProgress::Phase::Failed;
            last.error = r.error().message;
            qCWarning(lcNode).noquote() << "model import of" << QString::fromStdString(dir) << "stopped:"
                                        << QString::fromStdString(last.error);
        }
        publish(last);
        // Last, and the thread's last use of mu_: startImport joins a finished thread while holding mu_.
        std::lock_guard<std::mutex> g(mu_);
        importRunning_ = false;
    });
    return {};
}

void ModelService::cancelImport() { importCancel_ = true; }

ImportProgress ModelService::importProgress() const
{
    std::lock_guard<std::mutex> l(mu_);
    return import_;
}

void ModelService::setImportListener(std::function<void(const ImportProgress &)> listener)
{
    std::lock_guard<std::mutex> l(mu_);
    importListener_ = std::move(listener);
}

// --- chats --------------------------------------------------------------------------------------

Expected<std::uint64_t> ModelService::startChat(ChatRequest request)
{
    std::lock_guard<std::mutex> l(mu_);
    if (!attached_ || stopping_) return makeError(ErrorCode::Unavailable, "the node is not running");
    if (request.promptIds.empty() && request.prompt.empty() && request.messages.empty())
        return makeError(ErrorCode::InvalidArgument, "chat: give a prompt, messages or prompt_ids");
    auto c = std::make_shared<Chat>();
    c->id = nextChat_++;
    c->request = std::move(request);
    chats_[c->id] = c;
    queue_.push_back(c);
    // Forget the oldest finished chats (their callers had time to read them).
    for (auto it = chats_.begin(); chats_.size() > kKeptChats && it != chats_.end();) {
        const std::string &s = it->second->state;
        if (s == "done" || s == "failed" || s == "cancelled") it = chats_.erase(it);
        else ++it;
    }
    cv_.notify_all();
    return c->id;
}

Expected<ChatState> ModelService::chat(std::uint64_t id, std::size_t from) const
{
    std::lock_guard<std::mutex> l(mu_);
    auto it = chats_.find(id);
    if (it == chats_.end()) return makeError(ErrorCode::NotFound, "no chat " + std::to_string(id) + " (finished chats are kept for the last 256)");
    const Chat &c = *it->second;
    ChatState s;
    s.id = c.id;
    s.state = c.state;
    s.totalPieces = c.pieces.size();
    if (from < c.pieces.size()) s.pieces.assign(c.pieces.begin() + static_cast<std::ptrdiff_t>(from), c.pieces.end());
    s.error = c.error;
    s.result = c.result;
    s.experts = c.experts;
    return s;
}

Status ModelService::cancelChat(std::uint64_t id)
{
    std::lock_guard<std::mutex> l(mu_);
    auto it = chats_.find(id);
    if (it == chats_.end()) return makeError(ErrorCode::NotFound, "no chat " + std::to_string(id));
    it->second->cancel = true;
    if (it->second->state == "queued") it->second->state = "cancelled";
    return {};
}

Expected<TokenCount> ModelService::countTokens(const ChatRequest &request) const
{
    if (request.promptIds.empty() && request.prompt.empty() && request.messages.empty())
        return makeError(ErrorCode::InvalidArgument, "tokenize: give a prompt, messages or prompt_ids");
    std::shared_ptr<ModelChain> chain;
    std::shared_ptr<ChainModel> loaded;
    std::int64_t maxContext = 0;
    {
        std::lock_guard<std::mutex> l(mu_);
        if (!attached_ || stopping_) return makeError(ErrorCode::Unavailable, "the node is not running");
        chain = chain_;
        maxContext = settings_.maxContext;
        if (!reload_) loaded = model_;
    }
    std::shared_ptr<engine::Tokenizer> tokenizer;
    std::optional<engine::ChatTemplate> chatTemplate;
    std::int64_t contextLength = 0;
    if (loaded) {  // the model chats use now
        tokenizer = loaded->tokenizer;
        chatTemplate = loaded->chatTemplate;
        contextLength = loaded->model->maxContext();
    } else {
        std::lock_guard<std::mutex> l(textMu_);
        if (!text_ || textStale_.exchange(false)) {
            text_.reset();
            BLYAN_TRY(const auto objects, store());
            BLYAN_TRY(auto t, loadTextSide(objects, *chain, maxContext));
            text_ = std::move(t);
        }
        tokenizer = text_->tokenizer;
        chatTemplate = text_->chatTemplate;
        contextLength = text_->contextLength;
    }
    TokenCount out;
    out.contextLength = contextLength;
    try {
        BLYAN_TRY(out.ids, buildPrompt(request, tokenizer.get(), chatTemplate));
        for (const auto &m : request.messages) out.perMessage.push_back(tokenizer->encode(m.content, false).size());
    } catch (const std::exception &e) {
        return makeError(ErrorCode::InvalidArgument, std::string("tokenize: ") + e.what());
    }
    out.count = out.ids.size();
    return out;
}

ModelSettings ModelService::settings() const
{
    std::lock_guard<std::mutex> l(mu_);
    return settings_;
}

Budgets ModelService::budgets() const
{
    std::lock_guard<std::mutex> l(mu_);
    return budgets_;
}

Budgets ModelService::updateSettings(const SettingsChange &change)
{
    std::lock_guard<std::mutex> l(mu_);
    const std::string deviceBefore = settings_.device;
    if (change.device) settings_.device = *change.device;
    if (change.ramBudget) settings_.ramBudget = *change.ramBudget;
    if (change.gpuBudget) settings_.gpuBudget = *change.gpuBudget;
    budgets_ = resolveBudgets(settings_);
    if (settings_.device != deviceBefore) {
        reload_ = true;
    } else if (model_ && model_->experts) {
        model_->experts->setBudgets(budgets_.gpu, budgets_.ram);
    }
    return budgets_;
}

void ModelService::unload()
{
    std::lock_guard<std::mutex> l(mu_);
    reload_ = true;
}

std::shared_ptr<ChainModel> ModelService::loaded() const
{
    std::lock_guard<std::mutex> l(mu_);
    return model_;
}

std::map<std::string, std::uint64_t> ModelService::expertUsageTotals() const
{
    std::lock_guard<std::mutex> l(mu_);
    return usageTotals_;
}

std::string ModelService::loadError() const
{
    std::lock_guard<std::mutex> l(mu_);
    return loadError_;
}

Expected<std::shared_ptr<ChainModel>> ModelService::readFromChain() const
{
    std::shared_ptr<ModelChain> chain;
    {
        std::lock_guard<std::mutex> l(mu_);
        if (!attached_) return makeError(ErrorCode::Unavailable, "the node is not running");
        chain = chain_;
    }
    BLYAN_TRY(const auto objects, store());
    return readChainModel(objects, *chain);
}

void ModelService::inferenceLoop()
{
    // Generation may take every core for seconds; the threads that draw the window and answer RPC calls
    // must still get the CPU at once when they wake. A nice value of 5 on this thread, inherited by the
    // engine's worker pool and LibTorch's OpenMP team (both created from here below), tells the scheduler
    // so; with idle cores it costs nothing. (Linux: nice is per thread.)
#ifdef __linux__
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 5);
#endif
    engine::setCpuThreads(settings_.threads);
    while (true) {
        std::shared_ptr<Chat> c;
        {
            std::unique_lock<std::mutex> l(mu_);
            cv_.wait(l, [&] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            c = queue_.front();
            queue_.pop_front();
            if (c->state == "cancelled") continue;
        }
        runChat(c);
    }
}

Status ModelService::ensureLoaded(const std::shared_ptr<Chat> &c)
{
    {
        std::lock_guard<std::mutex> l(mu_);
        if (model_ && !reload_) return {};
        c->state = "loading";
        generator_.reset();
        model_.reset();
        reload_ = false;
    }
    ModelSettings settings;
    Budgets budgets;
    {
        std::lock_guard<std::mutex> l(mu_);
        budgets_ = resolveBudgets(settings_);
        settings = settings_;
        budgets = budgets_;
    }
    ModelLoadOptions o;
    o.engine.device = settings.device;
    o.engine.dtype = settings.dtype;
    o.engine.maxContext = settings.maxContext;
    o.tiers.gpuBudgetBytes = budgets.gpu;
    o.tiers.ramBudgetBytes = budgets.ram;
    auto objects = store();
    auto m = objects.ok() ? loadChainModel(*objects, *chain_, o) : Expected<std::shared_ptr<ChainModel>>(objects.error());
    std::lock_guard<std::mutex> l(mu_);
    if (!m.ok()) {
        loadError_ = m.error().message;
        reload_ = true;  // try again on the next chat (the user may fix the store or import)
        return m.error();
    }
    loadError_.clear();
    model_ = *m;
    generator_ = std::make_unique<engine::Generator>(model_->model);
    qCInfo(lcNode).noquote() << "model" << QString::fromStdString(model_->spec.name) << "assembled from the chain heads;"
                             << "expert RAM budget" << (budgets.ram >> 20) << "MiB (" << QString::fromStdString(budgets.ramSource)
                             << "), GPU:" << QString::fromStdString(budgets.gpuSource);
    return {};
}

void ModelService::runChat(const std::shared_ptr<Chat> &c)
{
    const auto finish = [&](const std::string &state, const std::string &error) {
        std::lock_guard<std::mutex> l(mu_);
        c->state = state;
        c->error = error;
    };
    if (auto st = ensureLoaded(c); !st.ok()) return finish("failed", st.error().message);
    std::shared_ptr<ChainModel> m;
    {
        std::lock_guard<std::mutex> l(mu_);
        m = model_;
        c->state = "running";
    }
    ChatRequest &r = c->request;
    try {
        auto built = buildPrompt(r, m->tokenizer.get(), m->chatTemplate);
        if (!built.ok()) return finish("failed", built.error().message);
        const std::vector<std::int32_t> prompt = std::move(*built);
        std::optional<engine::TokenizerTextDecoder> decoder;
        if (m->tokenizer) decoder.emplace(*m->tokenizer);
        r.generation.cancel = &c->cancel;
        if (m->experts) m->experts->resetUsage();
        auto result = generator_->generate(
            prompt, r.generation,
            [&](std::int32_t token, const std::string &text) {
                std::lock_guard<std::mutex> l(mu_);
                c->pieces.push_back({token, text});
            },
            decoder ? &*decoder : nullptr);
        std::vector<ExpertUse> uses;
        if (m->experts) {
            const auto u = m->experts->usage();
            const std::size_t E = static_cast<std::size_t>(m->spec.numExperts);
            for (std::size_t i = 0; i < u.size(); ++i) {
                if (!u[i]) continue;
                const int comp = m->expertComponent[i];
                uses.push_back({static_cast<int>(i / E), static_cast<int>(i % E), u[i],
                                comp >= 0 ? m->components[static_cast<std::size_t>(comp)].name : std::string()});
            }
        }
        std::lock_guard<std::mutex> l(mu_);
        for (const auto &u : uses)
            if (!u.object.empty()) usageTotals_[u.object] += u.steps;
        c->state = result.reason == engine::StopReason::Cancelled ? "cancelled" : "done";
        c->result = std::move(result);
        c->experts = std::move(uses);
    } catch (const std::exception &e) {
        generator_->reset();  // the cache may hold a half-run step
        finish("failed", e.what());
    }
}

}  // namespace blyan::model
