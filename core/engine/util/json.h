#pragma once
// A small strict JSON reader and writer for the engine (config.json, safetensors headers, tokenizer.json,
// tokenizer_config.json). The engine depends on LibTorch and the standard library only, so it cannot use
// Qt's JSON. Strict RFC 8259: one value, no trailing bytes, no comments, valid UTF-8, depth limited, numbers
// kept as their source text as well as a double so that 64-bit integers survive (safetensors offsets).
// Errors carry the byte offset, line and column.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace blyan::engine::json {

class Value;
using Array = std::vector<Value>;
// Object members in document order (tokenizer.json's vocab order matters for nothing, but the order of
// "added_tokens" and of safetensors tensors is useful for messages); lookup is linear for small objects
// and through an index built on demand for large ones.
struct Member;

class ParseError : public std::runtime_error {
public:
    ParseError(const std::string &what, std::size_t offset) : std::runtime_error(what), offset(offset) {}
    std::size_t offset;
};

enum class Type { Null, Bool, Number, String, Array, Object };

class Value {
public:
    Value() = default;
    static Value makeBool(bool b);
    static Value makeNumber(double d, std::string text = {});
    static Value makeString(std::string s);
    static Value makeArray(Array a = {});
    static Value makeObject(std::vector<Member> members = {});

    Type type() const { return type_; }
    bool isNull() const { return type_ == Type::Null; }
    bool isBool() const { return type_ == Type::Bool; }
    bool isNumber() const { return type_ == Type::Number; }
    bool isString() const { return type_ == Type::String; }
    bool isArray() const { return type_ == Type::Array; }
    bool isObject() const { return type_ == Type::Object; }

    // Typed access; throws std::runtime_error naming the expected type when the value has another one.
    bool asBool() const;
    double asDouble() const;
    // Exact integer: refuses fractions, exponents that leave a fraction, and values out of range.
    int64_t asInt64() const;
    uint64_t asUint64() const;
    const std::string &asString() const;
    const std::string &numberText() const;  // the number as written in the source (exact for 64-bit ints)
    const Array &asArray() const;
    const std::vector<Member> &members() const;

    // Object lookup: nullptr when the key is absent (or this is not an object).
    const Value *find(std::string_view key) const;
    // Object lookup that throws "missing key 'x'" when absent.
    const Value &at(std::string_view key) const;
    std::size_t size() const;  // elements of an array or members of an object, 0 otherwise

    // Mutation for writers.
    Array &array();
    std::vector<Member> &objectMembers();
    void set(std::string key, Value v);  // replaces an existing key or appends
    void push(Value v);

private:
    Type type_ = Type::Null;
    bool bool_ = false;
    double number_ = 0;
    std::string text_;  // string value, or the number's source text
    std::shared_ptr<Array> array_;
    std::shared_ptr<std::vector<Member>> object_;
    mutable std::shared_ptr<std::map<std::string, std::size_t, std::less<>>> index_;
};

struct Member {
    std::string key;
    Value value;
};

struct ParseOptions {
    std::size_t maxDepth = 128;
    bool allowDuplicateKeys = false;  // strict by default: a duplicated key is an error (its meaning is unclear)
};

// Parses exactly one JSON value from `text`; throws ParseError with a message like
// "invalid JSON at line 3, column 14: expected ',' or '}' after an object member".
Value parse(std::string_view text, const ParseOptions &options = {});

// Compact serialisation (no spaces), keys in member order; strings escaped as JSON requires.
std::string serialize(const Value &v);
// Appends `s` as a JSON string literal (with quotes) to `out`.
void appendQuoted(std::string &out, std::string_view s);

}  // namespace blyan::engine::json
