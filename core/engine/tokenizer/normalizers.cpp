// Normalizers of tokenizer.json (NFC, NFD, NFKC, NFKD, Sequence, Replace, Prepend, Strip) and the JSON
// field helpers shared by all stages.
#include "engine/tokenizer/components.h"

#include "engine/tokenizer/regex.h"
#include "engine/tokenizer/unicode.h"
#include "engine/util/error.h"

namespace blyan::engine::tok {

void fail(const std::string &path, const std::string &what) { throw EngineError("tokenizer.json: " + path + ": " + what); }

const json::Value *optionalField(const json::Value &obj, std::string_view key)
{
    const json::Value *v = obj.find(key);
    return v && !v->isNull() ? v : nullptr;
}

const json::Value &field(const json::Value &obj, std::string_view key, const std::string &path)
{
    if (!obj.isObject()) fail(path, "expected an object");
    const json::Value *v = obj.find(key);
    if (!v) fail(path, "missing field '" + std::string(key) + "'");
    return *v;
}

std::string stringField(const json::Value &obj, std::string_view key, const std::string &path)
{
    const json::Value &v = field(obj, key, path);
    if (!v.isString()) fail(path + "." + std::string(key), "expected a string");
    return v.asString();
}

bool boolField(const json::Value &obj, std::string_view key, bool fallback, const std::string &path)
{
    const json::Value *v = optionalField(obj, key);
    if (!v) return fallback;
    if (!v->isBool()) fail(path + "." + std::string(key), "expected true or false");
    return v->asBool();
}

std::string typeOf(const json::Value &obj, const std::string &path) { return stringField(obj, "type", path); }

namespace {

class UnicodeNormalizer : public Normalizer {
public:
    explicit UnicodeNormalizer(unicode::Form form) : form_(form) {}
    std::string apply(std::string text) const override
    {
        return unicode::isQuickNormalized(text, form_) ? text : unicode::normalize(text, form_);
    }

private:
    unicode::Form form_;
};

class SequenceNormalizer : public Normalizer {
public:
    explicit SequenceNormalizer(std::vector<std::unique_ptr<Normalizer>> steps) : steps_(std::move(steps)) {}
    std::string apply(std::string text) const override
    {
        for (const auto &s : steps_) text = s->apply(std::move(text));
        return text;
    }

private:
    std::vector<std::unique_ptr<Normalizer>> steps_;
};

// Replace: every non-overlapping occurrence of a string, or every match of a regex, left to right.
class ReplaceNormalizer : public Normalizer {
public:
    ReplaceNormalizer(std::string literal, std::unique_ptr<regex::Regex> re, std::string content)
        : literal_(std::move(literal)), re_(std::move(re)), content_(std::move(content))
    {
    }
    std::string apply(std::string text) const override
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

private:
    std::string literal_;
    std::unique_ptr<regex::Regex> re_;
    std::string content_;
};

// Prepend: only to non-empty text (so a piece after a special token gets it again, as in Llama 2).
class PrependNormalizer : public Normalizer {
public:
    explicit PrependNormalizer(std::string prefix) : prefix_(std::move(prefix)) {}
    std::string apply(std::string text) const override { return text.empty() ? text : prefix_ + text; }

private:
    std::string prefix_;
};

// Strip: removes White_Space characters at either end.
class StripNormalizer : public Normalizer {
public:
    StripNormalizer(bool left, bool right) : left_(left), right_(right) {}
    std::string apply(std::string text) const override
    {
        const std::u32string cps = unicode::decodeUtf8(text);
        std::size_t b = 0, e = cps.size();
        while (left_ && b < e && unicode::isWhitespace(cps[b])) ++b;
        while (right_ && e > b && unicode::isWhitespace(cps[e - 1])) --e;
        std::string out;
        for (std::size_t k = b; k < e; ++k) unicode::appendUtf8(out, cps[k]);
        return out;
    }

private:
    bool left_, right_;
};

}  // namespace

// A Split or Replace "pattern": {"String": "..."} or {"Regex": "..."}.
void readPattern(const json::Value &v, const std::string &path, const char *stage, std::string &literal,
                 std::unique_ptr<regex::Regex> &re)
{
    if (!v.isObject() || v.size() != 1) fail(path, "expected {\"String\": ...} or {\"Regex\": ...}");
    if (const json::Value *s = v.find("String")) {
        if (!s->isString()) fail(path + ".String", "expected a string");
        literal = s->asString();
        return;
    }
    if (const json::Value *r = v.find("Regex")) {
        if (!r->isString()) fail(path + ".Regex", "expected a string");
        try {
            re = std::make_unique<regex::Regex>(r->asString());
        } catch (const EngineError &e) {
            fail(path + ".Regex", std::string("unsupported ") + stage + " pattern: " + e.what());
        }
        return;
    }
    fail(path, "unsupported pattern kind '" + v.members()[0].key + "'");
}

std::unique_ptr<Normalizer> makeNormalizer(const json::Value &v, const std::string &path)
{
    if (v.isNull()) return nullptr;
    const std::string type = typeOf(v, path);
    if (type == "NFC") return std::make_unique<UnicodeNormalizer>(unicode::Form::NFC);
    if (type == "NFD") return std::make_unique<UnicodeNormalizer>(unicode::Form::NFD);
    if (type == "NFKC") return std::make_unique<UnicodeNormalizer>(unicode::Form::NFKC);
    if (type == "NFKD") return std::make_unique<UnicodeNormalizer>(unicode::Form::NFKD);
    if (type == "Sequence") {
        const json::Value &list = field(v, "normalizers", path);
        if (!list.isArray()) fail(path + ".normalizers", "expected an array");
        std::vector<std::unique_ptr<Normalizer>> steps;
        for (std::size_t i = 0; i < list.size(); ++i) {
            auto n = makeNormalizer(list.asArray()[i], path + ".normalizers[" + std::to_string(i) + "]");
            if (n) steps.push_back(std::move(n));
        }
        return std::make_unique<SequenceNormalizer>(std::move(steps));
    }
    if (type == "Replace") {
        std::string literal;
        std::unique_ptr<regex::Regex> re;
        readPattern(field(v, "pattern", path), path + ".pattern", "normalizer", literal, re);
        return std::make_unique<ReplaceNormalizer>(std::move(literal), std::move(re), stringField(v, "content", path));
    }
    if (type == "Prepend") return std::make_unique<PrependNormalizer>(stringField(v, "prepend", path));
    if (type == "Strip")
        return std::make_unique<StripNormalizer>(boolField(v, "strip_left", false, path), boolField(v, "strip_right", false, path));
    fail(path, "unsupported normalizer type '" + type + "' (supported: NFC, NFD, NFKC, NFKD, Sequence, Replace, Prepend, Strip)");
}

}  // namespace blyan::engine::tok
