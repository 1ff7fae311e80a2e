// Decoders of tokenizer.json (ByteLevel, Metaspace, Replace, ByteFallback, Fuse, Strip, Sequence) and
// post-processors (TemplateProcessing, ByteLevel, Roberta/Bert, Sequence). Behaviour that is easy to get
// subtly wrong follows Hugging Face exactly and is pinned by tests/data/tokenizer/*_decode golden files:
// ByteFallback turns a run of <0xXX> tokens that is not valid UTF-8 into one U+FFFD per byte, and the
// Metaspace decoder drops every replacement character of the first token.
#include "engine/tokenizer/components.h"

#include "engine/tokenizer/regex.h"
#include "engine/tokenizer/unicode.h"

namespace blyan::engine::tok {

namespace {

const char kReplacementChar[] = "\xEF\xBF\xBD";

class SequenceDecoder : public Decoder {
public:
    explicit SequenceDecoder(std::vector<std::unique_ptr<Decoder>> steps) : steps_(std::move(steps)) {}
    void apply(std::vector<std::string> &tokens) const override
    {
        for (const auto &s : steps_) s->apply(tokens);
    }

private:
    std::vector<std::unique_ptr<Decoder>> steps_;
};

// Maps the byte alphabet back to bytes over all tokens, then decodes UTF-8 lossily. A token holding a
// character outside the alphabet (an added token such as "<|im_start|>" is inside it; a non-ASCII one
// may not be) contributes its own UTF-8 bytes unchanged.
class ByteLevelDecoder : public Decoder {
public:
    void apply(std::vector<std::string> &tokens) const override
    {
        std::string bytes;
        for (const std::string &t : tokens) {
            const std::size_t mark = bytes.size();
            bool inAlphabet = true;
            for (std::size_t i = 0; i < t.size() && inAlphabet;) {
                const int b = charToByte(unicode::nextCodePoint(t, i));
                if (b < 0) inAlphabet = false;
                else bytes.push_back(static_cast<char>(b));
            }
            if (!inAlphabet) {
                bytes.resize(mark);
                bytes += t;
            }
        }
        tokens.assign(1, unicode::lossyUtf8(bytes));
    }
};

class MetaspaceDecoder : public Decoder {
public:
    MetaspaceDecoder(std::string replacement, bool prepends) : replacement_(std::move(replacement)), prepends_(prepends) {}
    void apply(std::vector<std::string> &tokens) const override
    {
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            std::string out;
            const std::string &t = tokens[i];
            for (std::size_t k = 0; k < t.size();) {
                if (t.compare(k, replacement_.size(), replacement_) == 0) {
                    if (!(i == 0 && prepends_)) out.push_back(' ');
                    k += replacement_.size();
                } else {
                    out.push_back(t[k++]);
                }
            }
            tokens[i].swap(out);
        }
    }

private:
    std::string replacement_;
    bool prepends_;
};

class ReplaceDecoder : public Decoder {
public:
    ReplaceDecoder(std::string literal, std::unique_ptr<regex::Regex> re, std::string content)
        : literal_(std::move(literal)), re_(std::move(re)), content_(std::move(content))
    {
    }
    void apply(std::vector<std::string> &tokens) const override
    {
        for (std::string &t : tokens) t = replaceAll(t);
    }

private:
    std::string replaceAll(const std::string &text) const
    {
        std::string out;
        if (re_) {
            const std::u32string cps = unicode::decodeUtf8(text);
            std::vector<std::pair<std::size_t, std::size_t>> matches;
            re_->findAll(cps, matches);
            std::size_t prev = 0;
            for (const auto &[s, e] : matches) {
                if (e == s) continue;
                for (std::size_t k = prev; k < s; ++k) unicode::appendUtf8(out, cps[k]);
                out += content_;
                prev = e;
            }
            for (std::size_t k = prev; k < cps.size(); ++k) unicode::appendUtf8(out, cps[k]);
            return out;
        }
        if (literal_.empty()) return text;
        std::size_t prev = 0;
        for (std::size_t at = text.find(literal_); at != std::string::npos; at = text.find(literal_, prev)) {
            out.append(text, prev, at - prev);
            out += content_;
            prev = at + literal_.size();
        }
        out.append(text, prev, std::string::npos);
        return out;
    }

    std::string literal_;
    std::unique_ptr<regex::Regex> re_;
    std::string content_;
};

// <0xXX> tokens are collected into bytes; a run becomes its UTF-8 text, or U+FFFD per byte if invalid.
class ByteFallbackDecoder : public Decoder {
public:
    void apply(std::vector<std::string> &tokens) const override
    {
        std::vector<std::string> out;
        std::string pending;
        const auto flush = [&] {
            if (pending.empty()) return;
            if (unicode::isValidUtf8(pending)) out.push_back(pending);
            else
                for (std::size_t k = 0; k < pending.size(); ++k) out.emplace_back(kReplacementChar);
            pending.clear();
        };
        for (std::string &t : tokens) {
            int byte = -1;
            if (t.size() == 6 && t.compare(0, 3, "<0x") == 0 && t[5] == '>') byte = hexByte(t[3], t[4]);
            if (byte >= 0) {
                pending.push_back(static_cast<char>(byte));
                continue;
            }
            flush();
            out.push_back(std::move(t));
        }
        flush();
        tokens.swap(out);
    }

private:
    static int hexDigit(char c)
    {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
    static int hexByte(char a, char b)
    {
        const int hi = hexDigit(a), lo = hexDigit(b);
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }
};

class FuseDecoder : public Decoder {
public:
    void apply(std::vector<std::string> &tokens) const override
    {
        std::string all;
        for (const std::string &t : tokens) all += t;
        tokens.assign(1, std::move(all));
    }
};

// Strip: removes up to `start` leading and `stop` trailing occurrences of one character from each token.
class StripDecoder : public Decoder {
public:
    StripDecoder(char32_t c, std::size_t start, std::size_t stop) : c_(c), start_(start), stop_(stop) {}
    void apply(std::vector<std::string> &tokens) const override
    {
        for (std::string &t : tokens) {
            const std::u32string cps = unicode::decodeUtf8(t);
            std::size_t b = 0, e = cps.size();
            while (b < start_ && b < e && cps[b] == c_) ++b;
            for (std::size_t k = 0; k < stop_ && e > b && cps[e - 1] == c_; ++k) --e;
            std::string out;
            for (std::size_t k = b; k < e; ++k) unicode::appendUtf8(out, cps[k]);
            t.swap(out);
        }
    }

private:
    char32_t c_;
    std::size_t start_, stop_;
};

std::size_t countField(const json::Value &v, std::string_view key, const std::string &path)
{
    const json::Value &n = field(v, key, path);
    try {
        return static_cast<std::size_t>(n.asUint64());
    } catch (const std::exception &) {
        fail(path + "." + std::string(key), "expected a non-negative integer");
    }
}

}  // namespace

std::unique_ptr<Decoder> makeDecoder(const json::Value &v, const std::string &path)
{
    if (v.isNull()) return nullptr;
    const std::string type = typeOf(v, path);
    if (type == "Sequence") {
        const json::Value &list = field(v, "decoders", path);
        if (!list.isArray()) fail(path + ".decoders", "expected an array");
        std::vector<std::unique_ptr<Decoder>> steps;
        for (std::size_t i = 0; i < list.size(); ++i) {
            auto d = makeDecoder(list.asArray()[i], path + ".decoders[" + std::to_string(i) + "]");
            if (d) steps.push_back(std::move(d));
        }
        return std::make_unique<SequenceDecoder>(std::move(steps));
    }
    if (type == "ByteLevel") return std::make_unique<ByteLevelDecoder>();
    if (type == "Metaspace") {
        bool prepends = true;
        if (const json::Value *scheme = optionalField(v, "prepend_scheme")) prepends = !(scheme->isString() && scheme->asString() == "never");
        else prepends = boolField(v, "add_prefix_space", true, path);
        return std::make_unique<MetaspaceDecoder>(stringField(v, "replacement", path), prepends);
    }
    if (type == "Replace") {
        std::string literal;
        std::unique_ptr<regex::Regex> re;
        readPattern(field(v, "pattern", path), path + ".pattern", "decoder", literal, re);
        return std::make_unique<ReplaceDecoder>(std::move(literal), std::move(re), stringField(v, "content", path));
    }
    if (type == "ByteFallback") return std::make_unique<ByteFallbackDecoder>();
    if (type == "Fuse") return std::make_unique<FuseDecoder>();
    if (type == "Strip") {
        const std::u32string c = unicode::decodeUtf8(stringField(v, "content", path));
        if (c.size() != 1) fail(path + ".content", "expected a single character");
        return std::make_unique<StripDecoder>(c[0], countField(v, "start", path), countField(v, "stop", path));
    }
    fail(path, "unsupported decoder type '" + type + "' (supported: ByteLevel, Metaspace, Replace, ByteFallback, Fuse, Strip, Sequence)");
}

// ---- Post-processors -----------------------------------------------------------------------------------

namespace {

class TemplatePost : public PostProcessor {
public:
    explicit TemplatePost(std::vector<std::vector<int32_t>> parts) : parts_(std::move(parts)) {}
    void apply(std::vector<int32_t> &ids) const override
    {
        std::vector<int32_t> out;
        for (const auto &p : parts_) {
            if (p.empty()) out.insert(out.end(), ids.begin(), ids.end());  // the $A sequence
            else out.insert(out.end(), p.begin(), p.end());
        }
        ids.swap(out);
    }

private:
    std::vector<std::vector<int32_t>> parts_;  // an empty part stands for the sequence
};

class SequencePost : public PostProcessor {
public:
    explicit SequencePost(std::vector<std::unique_ptr<PostProcessor>> steps) : steps_(std::move(steps)) {}
    void apply(std::vector<int32_t> &ids) const override
    {
        for (const auto &s : steps_) s->apply(ids);
    }

private:
    std::vector<std::unique_ptr<PostProcessor>> steps_;
};

int32_t tokenId(const json::Value &v, const std::string &path)
{
    try {
        const int64_t id = v.asInt64();
        if (id >= 0 && id <= INT32_MAX) return static_cast<int32_t>(id);
    } catch (const std::exception &) {
    }
    fail(path, "expected a token id");
}

// Roberta/Bert: {"cls": ["<s>", 0], "sep": ["</s>", 2]} -> cls $A sep.
std::unique_ptr<PostProcessor> clsSep(const json::Value &v, const std::string &path)
{
    std::vector<std::vector<int32_t>> parts;
    for (const char *key : {"cls", "sep"}) {
        const json::Value &pair = field(v, key, path);
        if (!pair.isArray() || pair.size() != 2) fail(path + "." + key, "expected [token, id]");
        parts.push_back({tokenId(pair.asArray()[1], path + "." + key + "[1]")});
        if (std::string(key) == "cls") parts.emplace_back();
    }
    return std::make_unique<TemplatePost>(std::move(parts));
}

}  // namespace

std::unique_ptr<PostProcessor> makePostProcessor(const json::Value &v, const std::string &path)
{
    if (v.isNull()) return nullptr;
    const std::string type = typeOf(v, path);
    if (type == "ByteLevel") return nullptr;  // only trims offsets; ids are unchanged
    if (type == "RobertaProcessing" || type == "BertProcessing") return clsSep(v, path);
    if (type == "Sequence") {
        const json::Value &list = field(v, "processors", path);
        if (!list.isArray()) fail(path + ".processors", "expected an array");
        std::vector<std::unique_ptr<PostProcessor>> steps;
        for (std::size_t i = 0; i < list.size(); ++i) {
            auto p = makePostProcessor(list.asArray()[i], path + ".processors[" + std::to_string(i) + "]");
            if (p) steps.push_back(std::move(p));
        }
        return std::make_unique<SequencePost>(std::move(steps));
    }
    if (type != "TemplateProcessing")
        fail(path, "unsupported post-processor type '" + type + "' (supported: TemplateProcessing, ByteLevel, RobertaProcessing, BertProcessing, Sequence)");
    // single: [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}]
    const json::Value &single = field(v, "single", path);
    const json::Value &specials = field(v, "special_tokens", path);
    if (!single.isArray()) fail(path + ".single", "expected an array");
    std::vector<std::vector<int32_t>> parts;
    for (std::size_t i = 0; i < single.size(); ++i) {
        const json::Value &item = single.asArray()[i];
        const std::string where = path + ".single[" + std::to_string(i) + "]";
        if (!item.isObject() || item.size() != 1) fail(where, "expected {\"SpecialToken\": ...} or {\"Sequence\": ...}");
        const std::string &kind = item.members()[0].key;
        const json::Value &body = item.members()[0].value;
        if (kind == "Sequence") {
            if (stringField(body, "id", where) != "A") fail(where, "a single-sequence template may only use sequence A");
            parts.emplace_back();
        } else if (kind == "SpecialToken") {
            const std::string name = stringField(body, "id", where);
            const json::Value &entry = field(specials, name, path + ".special_tokens");
            const json::Value &ids = field(entry, "ids", path + ".special_tokens." + name);
            if (!ids.isArray() || ids.size() == 0) fail(path + ".special_tokens." + name + ".ids", "expected a non-empty array");
            std::vector<int32_t> part;
            for (const json::Value &id : ids.asArray()) part.push_back(tokenId(id, path + ".special_tokens." + name + ".ids"));
            parts.push_back(std::move(part));
        } else {
            fail(where, "unsupported template piece '" + kind + "'");
        }
    }
    return std::make_unique<TemplatePost>(std::move(parts));
}

}  // namespace blyan::engine::tok
