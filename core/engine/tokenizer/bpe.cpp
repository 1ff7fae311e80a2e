#include "engine/tokenizer/bpe.h"

#include "engine/tokenizer/components.h"
#include "engine/tokenizer/unicode.h"

#include <mutex>
#include <queue>

namespace blyan::engine::tok {

namespace {

int32_t idValue(const json::Value &v, const std::string &path)
{
    try {
        const int64_t id = v.asInt64();
        if (id >= 0 && id <= INT32_MAX) return static_cast<int32_t>(id);
    } catch (const std::exception &) {
    }
    fail(path, "expected a token id (a non-negative integer)");
}

}  // namespace

BpeModel::BpeModel(const json::Value &model, const std::string &path)
{
    if (const json::Value *d = optionalField(model, "dropout")) {
        if (!d->isNumber() || d->asDouble() != 0.0) fail(path + ".dropout", "BPE dropout is not supported (only null or 0)");
    }
    if (const json::Value *u = optionalField(model, "unk_token")) {
        if (!u->isString()) fail(path + ".unk_token", "expected a string or null");
        unkToken_ = u->asString();
    }
    if (const json::Value *p = optionalField(model, "continuing_subword_prefix")) {
        if (!p->isString()) fail(path + ".continuing_subword_prefix", "expected a string or null");
        prefix_ = p->asString();
    }
    if (const json::Value *s = optionalField(model, "end_of_word_suffix")) {
        if (!s->isString()) fail(path + ".end_of_word_suffix", "expected a string or null");
        suffix_ = s->asString();
    }
    byteFallback_ = boolField(model, "byte_fallback", false, path);
    fuseUnk_ = boolField(model, "fuse_unk", false, path);
    ignoreMerges_ = boolField(model, "ignore_merges", false, path);

    const json::Value &vocab = field(model, "vocab", path);
    if (!vocab.isObject()) fail(path + ".vocab", "expected an object of token -> id");
    vocab_.reserve(vocab.size());
    for (const json::Member &m : vocab.members()) {
        const int32_t id = idValue(m.value, path + ".vocab[\"" + m.key + "\"]");
        vocab_.emplace(m.key, id);
    }
    for (const auto &[token, id] : vocab_) {
        if (static_cast<std::size_t>(id) >= idToToken_.size()) idToToken_.resize(static_cast<std::size_t>(id) + 1, nullptr);
        if (idToToken_[static_cast<std::size_t>(id)])
            fail(path + ".vocab", "id " + std::to_string(id) + " is used by two tokens");
        idToToken_[static_cast<std::size_t>(id)] = &token;
    }
    for (const auto &[token, id] : vocab_) {
        std::size_t i = 0;
        const char32_t c = unicode::nextCodePoint(token, i);
        if (i == token.size() && !token.empty()) charIds_.emplace(c, id);
    }
    if (unkToken_ && !vocab_.count(*unkToken_)) fail(path + ".unk_token", "'" + *unkToken_ + "' is not in the vocab");

    for (int b = 0; b < 256; ++b) {
        static const char hex[] = "0123456789ABCDEF";
        const std::string name = std::string("<0x") + hex[b >> 4] + hex[b & 15] + ">";
        const auto it = vocab_.find(name);
        byteIds_[b] = it == vocab_.end() ? -1 : it->second;
    }

    // Merges: "a b" strings (one space) or [a, b] pairs. Rank = position; a repeated pair keeps the later
    // rank, as Hugging Face's map construction does.
    const json::Value &merges = field(model, "merges", path);
    if (!merges.isArray()) fail(path + ".merges", "expected an array");
    merges_.reserve(merges.size());
    const auto lookup = [&](const std::string &tok, const std::string &where) {
        const auto it = vocab_.find(tok);
        if (it == vocab_.end()) fail(where, "merge part '" + tok + "' is not in the vocab");
        return it->second;
    };
    for (std::size_t i = 0; i < merges.size(); ++i) {
        const json::Value &m = merges.asArray()[i];
        const std::string where = path + ".merges[" + std::to_string(i) + "]";
        std::string a, b;
        if (m.isString()) {
            const std::string &s = m.asString();
            const std::size_t sp = s.find(' ');
            if (sp == std::string::npos || s.find(' ', sp + 1) != std::string::npos)
                fail(where, "expected \"a b\" with exactly one space");
            a = s.substr(0, sp);
            b = s.substr(sp + 1);
        } else if (m.isArray() && m.size() == 2 && m.asArray()[0].isString() && m.asArray()[1].isString()) {
            a = m.asArray()[0].asString();
            b = m.asArray()[1].asString();
        } else {
            fail(where, "expected \"a b\" or [\"a\", \"b\"]");
        }
        std::string merged = a;
        if (!prefix_.empty()) {
            if (b.compare(0, prefix_.size(), prefix_) != 0) fail(where, "second part lacks the continuing_subword_prefix");
            merged.append(b, prefix_.size(), std::string::npos);
        } else {
            merged += b;
        }
        const int32_t ia = lookup(a, where), ib = lookup(b, where);
        const auto it = vocab_.find(merged);
        if (it == vocab_.end()) fail(where, "merge result '" + merged + "' is not in the vocab");
        merges_[pairKey(ia, ib)] = Merge{static_cast<int32_t>(i), it->second};
    }
}

std::optional<int32_t> BpeModel::tokenToId(std::string_view token) const
{
    const auto it = vocab_.find(token);
    return it == vocab_.end() ? std::nullopt : std::optional<int32_t>(it->second);
}

const std::string *BpeModel::idToToken(int32_t id) const
{
    return id >= 0 && static_cast<std::size_t>(id) < idToToken_.size() ? idToToken_[static_cast<std::size_t>(id)] : nullptr;
}

void BpeModel::tokenize(std::string_view piece, std::vector<int32_t> &out) const
{
    if (piece.empty()) return;
    if (ignoreMerges_) {
        if (const auto it = vocab_.find(piece); it != vocab_.end()) {
            out.push_back(it->second);
            return;
        }
    }
    const bool cacheable = piece.size() < kCacheMaxWordBytes;
    if (cacheable) {
        std::shared_lock lock(cacheMutex_);
        if (const auto it = cache_.find(piece); it != cache_.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    std::vector<int32_t> ids;
    mergeWord(piece, ids);
    out.insert(out.end(), ids.begin(), ids.end());
    if (cacheable) {
        std::unique_lock lock(cacheMutex_);
        if (cache_.size() >= kCacheCapacity) cache_.clear();  // bounded: start over rather than grow
        cache_.emplace(std::string(piece), std::move(ids));
    }
}

// Hugging Face's Word::merge_all: one symbol per character (or per byte with byte fallback), then the
// lowest-ranked adjacent pair is merged first, leftmost among equals, until no pair has a merge.
void BpeModel::mergeWord(std::string_view word, std::vector<int32_t> &out) const
{
    struct Symbol {
        int32_t id;
        int32_t prev, next;
        bool alive;
    };
    std::vector<Symbol> symbols;
    symbols.reserve(word.size());
    const auto add = [&](int32_t id) {
        const int32_t n = static_cast<int32_t>(symbols.size());
        symbols.push_back(Symbol{id, n - 1, n + 1, true});
    };
    std::optional<int32_t> unkId;
    if (unkToken_) unkId = vocab_.find(*unkToken_)->second;
    bool pendingUnk = false;
    const bool affixes = !prefix_.empty() || !suffix_.empty();
    std::string s;
    for (std::size_t i = 0; i < word.size();) {
        const std::size_t start = i;
        const char32_t c = unicode::nextCodePoint(word, i);
        int32_t id = -1;
        if (!affixes) {
            if (const auto it = charIds_.find(c); it != charIds_.end()) id = it->second;
        }
        s.assign(word.substr(start, i - start));
        if (start != 0 && !prefix_.empty()) s.insert(0, prefix_);
        if (i == word.size() && !suffix_.empty()) s += suffix_;
        if (affixes) {
            if (const auto it = vocab_.find(s); it != vocab_.end()) id = it->second;
        }
        if (id >= 0) {
            if (pendingUnk) add(*unkId);
            pendingUnk = false;
            add(id);
            continue;
        }
        if (byteFallback_) {
            bool all = true;
            for (unsigned char b : s) all = all && byteIds_[b] >= 0;
            if (all) {
                // A pending unknown is not flushed here (nor in Hugging Face): it lands after these bytes.
                for (unsigned char b : s) add(byteIds_[b]);
                continue;
            }
        }
        if (unkId) {
            if (pendingUnk && !fuseUnk_) add(*unkId);
            pendingUnk = true;
        }
        // Without an unknown token the character is dropped, as in Hugging Face.
    }
    if (pendingUnk) add(*unkId);
    if (symbols.empty()) return;
    symbols.back().next = -1;

    struct Candidate {
        int32_t rank, pos, id;
        bool operator<(const Candidate &o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }  // min-heap
    };
    std::priority_queue<Candidate> queue;
    const auto consider = [&](int32_t pos) {
        const Symbol &a = symbols[static_cast<std::size_t>(pos)];
        if (a.next < 0) return;
        const auto it = merges_.find(pairKey(a.id, symbols[static_cast<std::size_t>(a.next)].id));
        if (it != merges_.end()) queue.push(Candidate{it->second.rank, pos, it->second.id});
    };
    for (int32_t p = 0; p + 1 < static_cast<int32_t>(symbols.size()); ++p) consider(p);
    while (!queue.empty()) {
        const Candidate top = queue.top();
        queue.pop();
        Symbol &left = symbols[static_cast<std::size_t>(top.pos)];
        if (!left.alive || left.next < 0) continue;
        Symbol &right = symbols[static_cast<std::size_t>(left.next)];
        // Skip entries made stale by an earlier merge.
        const auto it = merges_.find(pairKey(left.id, right.id));
        if (it == merges_.end() || it->second.id != top.id) continue;
        left.id = top.id;
        right.alive = false;
        left.next = right.next;
        if (right.next >= 0) symbols[static_cast<std::size_t>(right.next)].prev = top.pos;
        if (left.prev >= 0) consider(left.prev);
        consider(top.pos);
    }
    for (const Symbol &sym : symbols)
        if (sym.alive) out.push_back(sym.id);
}

}  // namespace blyan::engine::tok
