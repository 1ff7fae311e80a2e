// Tokenizer: loading tokenizer.json and the encode/decode pipeline (see components.h for the stages).
#include "engine/tokenizer/tokenizer.h"

#include "engine/tokenizer/added_tokens.h"
#include "engine/tokenizer/bpe.h"
#include "engine/tokenizer/components.h"
#include "engine/tokenizer/unicode.h"
#include "engine/util/error.h"
#include "engine/util/json.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace blyan::engine {

struct Tokenizer::Impl {
    std::unique_ptr<tok::Normalizer> normalizer;
    std::unique_ptr<tok::PreTokenizer> preTokenizer;
    std::unique_ptr<tok::BpeModel> model;
    std::unique_ptr<tok::Decoder> decoder;
    std::unique_ptr<tok::PostProcessor> postProcessor;

    std::vector<AddedToken> added;
    // What decode and idToToken give for each added token: Hugging Face stores a normalized token's
    // content through the normalizer ("Hello" becomes "▁Hello" under Llama 2's Prepend), so that is what
    // the decoder sees.
    std::vector<std::string> addedText;
    std::unordered_map<std::string, int32_t> addedByContent;
    std::unordered_map<int32_t, std::size_t> addedById;  // index into `added`
    std::unordered_set<std::string> specialContents;
    std::unique_ptr<tok::AddedTokenMatcher> rawMatcher;         // tokens with normalized = false
    std::unique_ptr<tok::AddedTokenMatcher> normalizedMatcher;  // tokens with normalized = true
    SpecialTokenIds specials;

    void encodePiece(std::string_view segment, bool atOrigin, std::vector<int32_t> &out) const;
};

namespace {

std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw EngineError("cannot open " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw EngineError("cannot read " + path);
    return ss.str();
}

AddedToken parseAddedToken(const json::Value &v, const std::string &path)
{
    AddedToken t;
    const json::Value &id = tok::field(v, "id", path);
    try {
        const int64_t n = id.asInt64();
        if (n < 0 || n > INT32_MAX) throw std::range_error("");
        t.id = static_cast<int32_t>(n);
    } catch (const std::exception &) {
        tok::fail(path + ".id", "expected a token id");
    }
    t.content = tok::stringField(v, "content", path);
    t.special = tok::boolField(v, "special", false, path);
    t.singleWord = tok::boolField(v, "single_word", false, path);
    t.lstrip = tok::boolField(v, "lstrip", false, path);
    t.rstrip = tok::boolField(v, "rstrip", false, path);
    t.normalized = tok::boolField(v, "normalized", !t.special, path);
    return t;
}

}  // namespace

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tokenizer::Tokenizer(Tokenizer &&) noexcept = default;
Tokenizer &Tokenizer::operator=(Tokenizer &&) noexcept = default;
Tokenizer::~Tokenizer() = default;

Tokenizer Tokenizer::loadFile(const std::string &path)
{
    const std::string text = readFile(path);
    return fromJson(text, path);
}

Tokenizer Tokenizer::fromJson(std::string_view text, const std::string &name)
{
    json::Value root;
    try {
        root = json::parse(text);
    } catch (const json::ParseError &e) {
        throw EngineError(name + ": " + e.what());
    }
    try {
        auto impl = std::make_unique<Impl>();
        if (!root.isObject()) tok::fail("(root)", "expected an object");
        if (tok::optionalField(root, "truncation")) tok::fail("truncation", "truncation settings are not supported (expected null)");
        if (tok::optionalField(root, "padding")) tok::fail("padding", "padding settings are not supported (expected null)");
        const json::Value &model = tok::field(root, "model", "(root)");
        if (const json::Value *type = tok::optionalField(model, "type"); type && !(type->isString() && type->asString() == "BPE"))
            tok::fail("model.type", "unsupported model type '" + (type->isString() ? type->asString() : std::string("?")) + "' (only BPE)");
        impl->model = std::make_unique<tok::BpeModel>(model, "model");
        if (const json::Value *n = root.find("normalizer")) impl->normalizer = tok::makeNormalizer(*n, "normalizer");
        if (const json::Value *p = root.find("pre_tokenizer")) impl->preTokenizer = tok::makePreTokenizer(*p, "pre_tokenizer");
        if (const json::Value *d = root.find("decoder")) impl->decoder = tok::makeDecoder(*d, "decoder");
        if (const json::Value *p = root.find("post_processor")) impl->postProcessor = tok::makePostProcessor(*p, "post_processor");

        if (const json::Value *list = tok::optionalField(root, "added_tokens")) {
            if (!list->isArray()) tok::fail("added_tokens", "expected an array");
            for (std::size_t i = 0; i < list->size(); ++i) {
                const std::string path = "added_tokens[" + std::to_string(i) + "]";
                AddedToken t = parseAddedToken(list->asArray()[i], path);
                if (const auto inVocab = impl->model->tokenToId(t.content); inVocab && *inVocab != t.id)
                    tok::fail(path, "token '" + t.content + "' has id " + std::to_string(t.id) + " but the vocab gives it " + std::to_string(*inVocab));
                if (impl->addedById.count(t.id)) tok::fail(path, "id " + std::to_string(t.id) + " is used twice");
                if (impl->addedByContent.count(t.content)) tok::fail(path, "token '" + t.content + "' appears twice");
                impl->addedById[t.id] = impl->added.size();
                impl->addedByContent[t.content] = t.id;
                if (t.special) impl->specialContents.insert(t.content);
                impl->added.push_back(std::move(t));
            }
        }
        for (const AddedToken &t : impl->added)
            impl->addedText.push_back(t.normalized && impl->normalizer ? impl->normalizer->apply(t.content) : t.content);
        // Hugging Face orders the automaton's patterns special tokens first, then the others.
        std::vector<const AddedToken *> raw, norm;
        std::vector<std::string> rawPatterns, normPatterns;
        for (bool special : {true, false})
            for (const AddedToken &t : impl->added) {
                if (t.special != special) continue;
                if (t.normalized) {
                    norm.push_back(&t);
                    normPatterns.push_back(impl->normalizer ? impl->normalizer->apply(t.content) : t.content);
                } else {
                    raw.push_back(&t);
                    rawPatterns.push_back(t.content);
                }
            }
        impl->rawMatcher = std::make_unique<tok::AddedTokenMatcher>(raw, rawPatterns);
        impl->normalizedMatcher = std::make_unique<tok::AddedTokenMatcher>(norm, normPatterns);
        if (const json::Value *u = tok::optionalField(model, "unk_token")) impl->specials.unk = impl->model->tokenToId(u->asString());
        return Tokenizer(std::move(impl));
    } catch (const EngineError &e) {
        const std::string what = e.what();
        // Component errors start with "tokenizer.json: "; name the actual file instead.
        const std::string tag = "tokenizer.json: ";
        throw EngineError(name + ": " + (what.compare(0, tag.size(), tag) == 0 ? what.substr(tag.size()) : what));
    }
}

Tokenizer Tokenizer::loadModelDir(const std::string &dir)
{
    namespace fs = std::filesystem;
    const fs::path tokPath = fs::path(dir) / "tokenizer.json";
    Tokenizer t = loadFile(tokPath.string());
    const fs::path cfgPath = fs::path(dir) / "tokenizer_config.json";
    if (!fs::exists(cfgPath)) return t;
    json::Value cfg;
    try {
        cfg = json::parse(readFile(cfgPath.string()));
    } catch (const json::ParseError &e) {
        throw EngineError(cfgPath.string() + ": " + e.what());
    }
    // bos_token etc.: a string, {"content": ...} (an AddedToken), or null.
    const auto idOf = [&](const char *key) -> std::optional<int32_t> {
        const json::Value *v = tok::optionalField(cfg, key);
        if (!v) return std::nullopt;
        std::string content;
        if (v->isString()) content = v->asString();
        else if (v->isObject() && v->find("content") && v->at("content").isString()) content = v->at("content").asString();
        else throw EngineError(cfgPath.string() + ": " + key + ": expected a string, {\"content\": ...} or null");
        const auto id = t.tokenToId(content);
        if (!id) throw EngineError(cfgPath.string() + ": " + key + " '" + content + "' is not a token of tokenizer.json");
        return id;
    };
    SpecialTokenIds ids = t.specialIds();
    ids.bos = idOf("bos_token");
    ids.eos = idOf("eos_token");
    ids.pad = idOf("pad_token");
    if (auto unk = idOf("unk_token")) ids.unk = unk;
    t.setSpecialIds(ids);
    return t;
}

void Tokenizer::Impl::encodePiece(std::string_view segment, bool atOrigin, std::vector<int32_t> &out) const
{
    std::vector<tok::Piece> pieces;
    pieces.push_back(tok::Piece{std::string(segment), atOrigin});
    if (preTokenizer) preTokenizer->apply(pieces);
    for (const tok::Piece &p : pieces) model->tokenize(p.text, out);
}

std::vector<int32_t> Tokenizer::encode(std::string_view text, bool addSpecialTokens) const
{
    if (!unicode::isValidUtf8(text)) unicode::decodeUtf8(text);  // throws, naming the offending byte
    const Impl &m = *impl_;
    std::vector<int32_t> ids;
    ids.reserve(text.size() / 3 + 4);
    // 1. Tokens matched on the raw text; 2. the rest is normalized and searched for normalized tokens;
    // 3. what remains is pre-tokenized and run through the model.
    for (const tok::TokenSpan &raw : m.rawMatcher->split(text)) {
        if (raw.id >= 0) {
            ids.push_back(raw.id);
            continue;
        }
        // Empty pieces are dropped at every step (Hugging Face's PreTokenizedString::split), so an empty
        // text or a piece the normalizer empties never reaches a pre-tokenizer that would add a prefix.
        if (raw.end == raw.begin) continue;
        const std::string_view part = text.substr(raw.begin, raw.end - raw.begin);
        const std::string normalized = m.normalizer ? m.normalizer->apply(std::string(part)) : std::string(part);
        for (const tok::TokenSpan &n : m.normalizedMatcher->split(normalized)) {
            if (n.id >= 0) ids.push_back(n.id);
            else if (n.end > n.begin)
                m.encodePiece(std::string_view(normalized).substr(n.begin, n.end - n.begin), raw.begin == 0 && n.begin == 0, ids);
        }
    }
    if (addSpecialTokens && m.postProcessor) m.postProcessor->apply(ids);
    return ids;
}

std::string Tokenizer::decode(std::span<const int32_t> ids, bool skipSpecialTokens) const
{
    const Impl &m = *impl_;
    std::vector<std::string> tokens;
    tokens.reserve(ids.size());
    for (int32_t id : ids) {
        const std::string *tokenText = nullptr;
        if (const auto it = m.addedById.find(id); it != m.addedById.end()) tokenText = &m.addedText[it->second];
        else tokenText = m.model->idToToken(id);
        if (!tokenText) continue;
        if (skipSpecialTokens && m.specialContents.count(*tokenText)) continue;
        tokens.push_back(*tokenText);
    }
    if (!m.decoder) {
        std::string joined;
        for (std::size_t i = 0; i < tokens.size(); ++i) joined += (i ? " " : "") + tokens[i];
        return joined;
    }
    m.decoder->apply(tokens);
    std::string out;
    for (const std::string &t : tokens) out += t;
    return out;
}

std::optional<int32_t> Tokenizer::tokenToId(std::string_view token) const
{
    if (const auto it = impl_->addedByContent.find(std::string(token)); it != impl_->addedByContent.end()) return it->second;
    return impl_->model->tokenToId(token);
}

std::optional<std::string> Tokenizer::idToToken(int32_t id) const
{
    if (const auto it = impl_->addedById.find(id); it != impl_->addedById.end()) return impl_->addedText[it->second];
    if (const std::string *t = impl_->model->idToToken(id)) return *t;
    return std::nullopt;
}

std::size_t Tokenizer::vocabSize() const
{
    std::size_t n = impl_->model->vocabSize();
    for (const AddedToken &t : impl_->added)
        if (!impl_->model->tokenToId(t.content)) ++n;
    return n;
}

const std::vector<AddedToken> &Tokenizer::addedTokens() const { return impl_->added; }

bool Tokenizer::isSpecial(int32_t id) const
{
    const auto it = impl_->addedById.find(id);
    return it != impl_->addedById.end() && impl_->added[it->second].special;
}

const SpecialTokenIds &Tokenizer::specialIds() const { return impl_->specials; }
void Tokenizer::setSpecialIds(const SpecialTokenIds &ids) { impl_->specials = ids; }

// ---- IncrementalDecoder --------------------------------------------------------------------------------

namespace {

bool endsWithReplacement(const std::string &s) { return s.size() >= 3 && s.compare(s.size() - 3, 3, "\xEF\xBF\xBD") == 0; }

}  // namespace

IncrementalDecoder::IncrementalDecoder(const Tokenizer &tokenizer, bool skipSpecialTokens)
    : tokenizer_(tokenizer), skipSpecial_(skipSpecialTokens)
{
}

std::string IncrementalDecoder::push(int32_t id)
{
    ids_.push_back(id);
    const std::string text = tokenizer_.decode(ids_, skipSpecial_);
    if (text.size() <= prefix_.size() || endsWithReplacement(text)) return {};
    // The context's text is normally a prefix of the longer decode; if a decoder rewrote it, emit only
    // what follows the common part (text already emitted cannot be taken back).
    std::size_t common = 0;
    while (common < prefix_.size() && prefix_[common] == text[common]) ++common;
    std::string fresh = text.substr(common);
    // The ids just emitted become the context of the next step.
    ids_.erase(ids_.begin(), ids_.begin() + static_cast<std::ptrdiff_t>(prefixIndex_));
    prefixIndex_ = ids_.size();
    prefix_ = tokenizer_.decode(ids_, skipSpecial_);
    return fresh;
}

std::string IncrementalDecoder::flush()
{
    const std::string text = tokenizer_.decode(ids_, skipSpecial_);
    std::string rest = text.size() > prefix_.size() ? text.substr(prefix_.size()) : std::string();
    ids_.clear();
    prefixIndex_ = 0;
    prefix_.clear();
    return rest;
}

}  // namespace blyan::engine
