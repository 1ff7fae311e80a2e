#include "engine/util/json.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <unordered_set>

namespace blyan::engine::json {

// ---- Value ------------------------------------------------------------------------------------

Value Value::makeBool(bool b)
{
    Value v;
    v.type_ = Type::Bool;
    v.bool_ = b;
    return v;
}

Value Value::makeNumber(double d, std::string text)
{
    Value v;
    v.type_ = Type::Number;
    v.number_ = d;
    if (text.empty()) {
        char buf[64];
        if (d == std::floor(d) && std::fabs(d) < 9.007199254740992e15) {
            auto r = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(d));
            text.assign(buf, r.ptr);
        } else {
            auto r = std::to_chars(buf, buf + sizeof buf, d);  // shortest round-trip form
            text.assign(buf, r.ptr);
        }
    }
    v.text_ = std::move(text);
    return v;
}

Value Value::makeString(std::string s)
{
    Value v;
    v.type_ = Type::String;
    v.text_ = std::move(s);
    return v;
}

Value Value::makeArray(Array a)
{
    Value v;
    v.type_ = Type::Array;
    v.array_ = std::make_shared<Array>(std::move(a));
    return v;
}

Value Value::makeObject(std::vector<Member> members)
{
    Value v;
    v.type_ = Type::Object;
    v.object_ = std::make_shared<std::vector<Member>>(std::move(members));
    return v;
}

namespace {

const char *typeName(Type t)
{
    switch (t) {
    case Type::Null: return "null";
    case Type::Bool: return "a boolean";
    case Type::Number: return "a number";
    case Type::String: return "a string";
    case Type::Array: return "an array";
    case Type::Object: return "an object";
    }
    return "?";
}

[[noreturn]] void wrongType(Type want, Type have)
{
    throw std::runtime_error(std::string("expected ") + typeName(want) + ", found " + typeName(have));
}

}  // namespace

bool Value::asBool() const
{
    if (type_ != Type::Bool) wrongType(Type::Bool, type_);
    return bool_;
}

double Value::asDouble() const
{
    if (type_ != Type::Number) wrongType(Type::Number, type_);
    return number_;
}

int64_t Value::asInt64() const
{
    if (type_ != Type::Number) wrongType(Type::Number, type_);
    int64_t out = 0;
    auto r = std::from_chars(text_.data(), text_.data() + text_.size(), out);
    if (r.ec == std::errc() && r.ptr == text_.data() + text_.size()) return out;
    // "1e3" or "2.0": accept when the value is an exact integer within range.
    if (number_ == std::floor(number_) && std::fabs(number_) <= 9.007199254740992e15)
        return static_cast<int64_t>(number_);
    throw std::runtime_error("expected an integer, found " + text_);
}

uint64_t Value::asUint64() const
{
    if (type_ != Type::Number) wrongType(Type::Number, type_);
    uint64_t out = 0;
    auto r = std::from_chars(text_.data(), text_.data() + text_.size(), out);
    if (r.ec == std::errc() && r.ptr == text_.data() + text_.size()) return out;
    if (number_ >= 0 && number_ == std::floor(number_) && number_ <= 9.007199254740992e15)
        return static_cast<uint64_t>(number_);
    throw std::runtime_error("expected a non-negative integer, found " + text_);
}

const std::string &Value::numberText() const
{
    if (type_ != Type::Number) wrongType(Type::Number, type_);
    return text_;
}

const std::string &Value::asString() const
{
    if (type_ != Type::String) wrongType(Type::String, type_);
    return text_;
}

const Array &Value::asArray() const
{
    if (type_ != Type::Array) wrongType(Type::Array, type_);
    return *array_;
}

const std::vector<Member> &Value::members() const
{
    if (type_ != Type::Object) wrongType(Type::Object, type_);
    return *object_;
}

const Value *Value::find(std::string_view key) const
{
    if (type_ != Type::Object) return nullptr;
    const auto &m = *object_;
    if (m.size() <= 16) {
        for (const auto &member : m)
            if (member.key == key) return &member.value;
        return nullptr;
    }
    if (!index_ || index_->size() != m.size()) {
        auto idx = std::make_shared<std::map<std::string, std::size_t, std::less<>>>();
        for (std::size_t i = 0; i < m.size(); ++i) idx->emplace(m[i].key, i);
        index_ = std::move(idx);
    }
    auto it = index_->find(key);
    return it == index_->end() ? nullptr : &m[it->second].value;
}

const Value &Value::at(std::string_view key) const
{
    if (type_ != Type::Object) wrongType(Type::Object, type_);
    const Value *v = find(key);
    if (!v) throw std::runtime_error("missing key '" + std::string(key) + "'");
    return *v;
}

std::size_t Value::size() const
{
    if (type_ == Type::Array) return array_->size();
    if (type_ == Type::Object) return object_->size();
    return 0;
}

Array &Value::array()
{
    if (type_ != Type::Array) wrongType(Type::Array, type_);
    return *array_;
}

std::vector<Member> &Value::objectMembers()
{
    if (type_ != Type::Object) wrongType(Type::Object, type_);
    index_.reset();
    return *object_;
}

void Value::set(std::string key, Value v)
{
    auto &m = objectMembers();
    for (auto &member : m) {
        if (member.key == key) {
            member.value = std::move(v);
            return;
        }
    }
    m.push_back(Member{std::move(key), std::move(v)});
}

void Value::push(Value v)
{
    array().push_back(std::move(v));
}

// ---- parser -----------------------------------------------------------------------------------

namespace {

class Parser {
public:
    Parser(std::string_view text, const ParseOptions &options) : s_(text), opt_(options) {}

    Value run()
    {
        skipWs();
        Value v = value(0);
        skipWs();
        if (pos_ != s_.size()) fail("unexpected data after the JSON value");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string &what) const
    {
        std::size_t line = 1, col = 1;
        for (std::size_t i = 0; i < pos_ && i < s_.size(); ++i) {
            if (s_[i] == '\n') {
                ++line;
                col = 1;
            } else {
                ++col;
            }
        }
        throw ParseError("invalid JSON at line " + std::to_string(line) + ", column " + std::to_string(col) +
                             ": " + what,
                         pos_);
    }

    void skipWs()
    {
        while (pos_ < s_.size()) {
            const char c = s_[pos_];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
                ++pos_;
            else
                break;
        }
    }

    bool consume(std::string_view lit)
    {
        if (s_.substr(pos_, lit.size()) == lit) {
            pos_ += lit.size();
            return true;
        }
        return false;
    }

    Value value(std::size_t depth)
    {
        if (depth > opt_.maxDepth) fail("nesting deeper than " + std::to_string(opt_.maxDepth) + " levels");
        if (pos_ >= s_.size()) fail("unexpected end of input, expected a value");
        const char c = s_[pos_];
        switch (c) {
        case '{': return object(depth);
        case '[': return array(depth);
        case '"': return Value::makeString(string());
        case 't':
            if (consume("true")) return Value::makeBool(true);
            break;
        case 'f':
            if (consume("false")) return Value::makeBool(false);
            break;
        case 'n':
            if (consume("null")) return Value();
            break;
        default:
            if (c == '-' || (c >= '0' && c <= '9')) return number();
        }
        fail(std::string("unexpected character '") + c + "', expected a value");
    }

    Value object(std::size_t depth)
    {
        ++pos_;  // '{'
        std::vector<Member> members;
        skipWs();
        if (pos_ < s_.size() && s_[pos_] == '}') {
            ++pos_;
            return Value::makeObject(std::move(members));
        }
        for (;;) {
            skipWs();
            if (pos_ >= s_.size() || s_[pos_] != '"') fail("expected a string key in an object");
            std::string key = string();
            skipWs();
            if (pos_ >= s_.size() || s_[pos_] != ':') fail("expected ':' after an object key");
            ++pos_;
            skipWs();
            Value v = value(depth + 1);
            members.push_back(Member{std::move(key), std::move(v)});
            skipWs();
            if (pos_ < s_.size() && s_[pos_] == ',') {
                ++pos_;
                continue;
            }
            if (pos_ < s_.size() && s_[pos_] == '}') {
                ++pos_;
                break;
            }
            fail("expected ',' or '}' after an object member");
        }
        if (!opt_.allowDuplicateKeys) {
            // Small objects: pairwise; large ones (a 151k-entry vocab): one hash set.
            if (members.size() <= 16) {
                for (std::size_t i = 1; i < members.size(); ++i)
                    for (std::size_t j = 0; j < i; ++j)
                        if (members[i].key == members[j].key) fail("duplicate object key '" + members[i].key + "'");
            } else {
                std::unordered_set<std::string_view> seen;
                seen.reserve(members.size() * 2);
                for (const auto &m : members)
                    if (!seen.insert(m.key).second) fail("duplicate object key '" + m.key + "'");
            }
        }
        return Value::makeObject(std::move(members));
    }

    Value array(std::size_t depth)
    {
        ++pos_;  // '['
        Array items;
        skipWs();
        if (pos_ < s_.size() && s_[pos_] == ']') {
            ++pos_;
            return Value::makeArray(std::move(items));
        }
        for (;;) {
            skipWs();
            items.push_back(value(depth + 1));
            skipWs();
            if (pos_ < s_.size() && s_[pos_] == ',') {
                ++pos_;
                continue;
            }
            if (pos_ < s_.size() && s_[pos_] == ']') {
                ++pos_;
                break;
            }
            fail("expected ',' or ']' after an array element");
        }
        return Value::makeArray(std::move(items));
    }

    static void appendUtf8(std::string &out, uint32_t cp)
    {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    uint32_t hex4()
    {
        if (pos_ + 4 > s_.size()) fail("truncated \\u escape");
        uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = s_[pos_++];
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= static_cast<uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f')
                v |= static_cast<uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                v |= static_cast<uint32_t>(c - 'A' + 10);
            else
                fail("invalid hex digit in a \\u escape");
        }
        return v;
    }

    // Validates one UTF-8 sequence starting at pos_ (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
    void copyUtf8(std::string &out)
    {
        const auto b0 = static_cast<unsigned char>(s_[pos_]);
        int len = 0;
        uint32_t cp = 0;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            len = 2;
            cp = b0 & 0x1F;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            len = 3;
            cp = b0 & 0x0F;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            len = 4;
            cp = b0 & 0x07;
        } else {
            fail("invalid UTF-8 byte in a string");
        }
        if (pos_ + static_cast<std::size_t>(len) > s_.size()) fail("truncated UTF-8 sequence in a string");
        for (int i = 1; i < len; ++i) {
            const auto b = static_cast<unsigned char>(s_[pos_ + static_cast<std::size_t>(i)]);
            if ((b & 0xC0) != 0x80) fail("invalid UTF-8 continuation byte in a string");
            cp = (cp << 6) | (b & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            fail("invalid UTF-8 sequence (overlong, surrogate or beyond U+10FFFF) in a string");
        out.append(s_.data() + pos_, static_cast<std::size_t>(len));
        pos_ += static_cast<std::size_t>(len);
    }

    std::string string()
    {
        ++pos_;  // opening quote
        std::string out;
        for (;;) {
            // Fast path: copy a run of plain ASCII.
            std::size_t start = pos_;
            while (pos_ < s_.size()) {
                const auto c = static_cast<unsigned char>(s_[pos_]);
                if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
                ++pos_;
            }
            out.append(s_.data() + start, pos_ - start);
            if (pos_ >= s_.size()) fail("unterminated string");
            const auto c = static_cast<unsigned char>(s_[pos_]);
            if (c == '"') {
                ++pos_;
                return out;
            }
            if (c < 0x20) fail("control character in a string (it must be escaped)");
            if (c >= 0x80) {
                copyUtf8(out);
                continue;
            }
            // backslash
            ++pos_;
            if (pos_ >= s_.size()) fail("unterminated escape in a string");
            const char e = s_[pos_++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                uint32_t cp = hex4();
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (!consume("\\u")) fail("a high surrogate \\u escape must be followed by a low one");
                    const uint32_t lo = hex4();
                    if (lo < 0xDC00 || lo > 0xDFFF) fail("invalid low surrogate in a \\u escape");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    fail("lone low surrogate in a \\u escape");
                }
                appendUtf8(out, cp);
                break;
            }
            default: fail(std::string("invalid escape '\\") + e + "' in a string");
            }
        }
    }

    Value number()
    {
        const std::size_t start = pos_;
        if (s_[pos_] == '-') ++pos_;
        if (pos_ >= s_.size()) fail("truncated number");
        if (s_[pos_] == '0') {
            ++pos_;
        } else if (s_[pos_] >= '1' && s_[pos_] <= '9') {
            while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
        } else {
            fail("invalid number");
        }
        if (pos_ < s_.size() && s_[pos_] == '.') {
            ++pos_;
            if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '9') fail("a digit must follow '.' in a number");
            while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
        }
        if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
            ++pos_;
            if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
            if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '9') fail("a digit must follow the exponent");
            while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
        }
        std::string text(s_.substr(start, pos_ - start));
        // strtod under the "C" locale semantics of from_chars (locale-independent).
        double d = 0;
        auto r = std::from_chars(text.data(), text.data() + text.size(), d);
        if (r.ec == std::errc::result_out_of_range) d = text[0] == '-' ? -HUGE_VAL : HUGE_VAL;
        return Value::makeNumber(d, std::move(text));
    }

    std::string_view s_;
    ParseOptions opt_;
    std::size_t pos_ = 0;
};

}  // namespace

Value parse(std::string_view text, const ParseOptions &options)
{
    return Parser(text, options).run();
}

// ---- writer -----------------------------------------------------------------------------------

void appendQuoted(std::string &out, std::string_view s)
{
    static const char *hex = "0123456789abcdef";
    out += '"';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xF];
            } else {
                out += ch;
            }
        }
    }
    out += '"';
}

namespace {

void write(std::string &out, const Value &v)
{
    switch (v.type()) {
    case Type::Null: out += "null"; break;
    case Type::Bool: out += v.asBool() ? "true" : "false"; break;
    case Type::Number:
        if (!std::isfinite(v.asDouble())) throw std::runtime_error("JSON cannot represent NaN or infinity");
        out += v.numberText();  // the source text, or the exact form makeNumber chose
        break;
    case Type::String: appendQuoted(out, v.asString()); break;
    case Type::Array: {
        out += '[';
        bool first = true;
        for (const auto &e : v.asArray()) {
            if (!first) out += ',';
            first = false;
            write(out, e);
        }
        out += ']';
        break;
    }
    case Type::Object: {
        out += '{';
        bool first = true;
        for (const auto &m : v.members()) {
            if (!first) out += ',';
            first = false;
            appendQuoted(out, m.key);
            out += ':';
            write(out, m.value);
        }
        out += '}';
        break;
    }
    }
}

}  // namespace

std::string serialize(const Value &v)
{
    std::string out;
    write(out, v);
    return out;
}

}  // namespace blyan::engine::json
