#pragma once
// The stages of a Hugging Face tokenizer.json pipeline, as the engine implements them (internal to
// core/engine/tokenizer; the public API is tokenizer.h). Each stage is built from its JSON object by a
// factory that refuses unknown types and unsupported options with a message naming the field, so a
// tokenizer we cannot reproduce exactly fails to load instead of producing different ids.
//
//   text -> added tokens split out -> normalizer -> pre-tokenizer (pieces) -> model (ids per piece)
//        -> post-processor (special tokens)              ids -> tokens -> decoder chain -> text

#include "engine/util/json.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace blyan::engine::regex {
class Regex;
}

namespace blyan::engine::tok {

// ---- JSON field access with errors that name the path ("pre_tokenizer.pretokenizers[1].behavior") ----

[[noreturn]] void fail(const std::string &path, const std::string &what);
const json::Value &field(const json::Value &obj, std::string_view key, const std::string &path);
const json::Value *optionalField(const json::Value &obj, std::string_view key);  // absent or null -> nullptr
std::string stringField(const json::Value &obj, std::string_view key, const std::string &path);
bool boolField(const json::Value &obj, std::string_view key, bool fallback, const std::string &path);
std::string typeOf(const json::Value &obj, const std::string &path);  // the "type" member
// A Split/Replace pattern, {"String": s} (sets literal) or {"Regex": r} (sets re). `stage` names the
// stage in the error for a regex the engine cannot run ("unsupported pre-tokenizer pattern: ...").
void readPattern(const json::Value &v, const std::string &path, const char *stage, std::string &literal,
                 std::unique_ptr<regex::Regex> &re);

// ---- Normalizers ---------------------------------------------------------------------------------------

class Normalizer {
public:
    virtual ~Normalizer() = default;
    virtual std::string apply(std::string text) const = 0;
};
// null -> nullptr (no normalization).
std::unique_ptr<Normalizer> makeNormalizer(const json::Value &v, const std::string &path);

// ---- Pre-tokenizers ------------------------------------------------------------------------------------

struct Piece {
    std::string text;
    bool atOrigin = false;  // starts at offset 0 of the original text (Metaspace prepend_scheme "first")
};

class PreTokenizer {
public:
    virtual ~PreTokenizer() = default;
    // Replaces each piece by its sub-pieces; empty pieces are dropped, as Hugging Face does.
    virtual void apply(std::vector<Piece> &pieces) const = 0;
};
std::unique_ptr<PreTokenizer> makePreTokenizer(const json::Value &v, const std::string &path);

// GPT-2's reversible byte -> printable character map used by ByteLevel pre-tokenizers and decoders.
const std::string &byteToChar(uint8_t b);  // as UTF-8
int charToByte(char32_t c);                 // -1 when c is not in the alphabet

// ---- Decoders ------------------------------------------------------------------------------------------

class Decoder {
public:
    virtual ~Decoder() = default;
    // decode_chain: transforms the list of token strings (some decoders fuse it into one string).
    virtual void apply(std::vector<std::string> &tokens) const = 0;
};
std::unique_ptr<Decoder> makeDecoder(const json::Value &v, const std::string &path);

// ---- Post-processors -----------------------------------------------------------------------------------

class PostProcessor {
public:
    virtual ~PostProcessor() = default;
    // Adds the special tokens of a single sequence (called only when special tokens are wanted).
    virtual void apply(std::vector<int32_t> &ids) const = 0;
};
std::unique_ptr<PostProcessor> makePostProcessor(const json::Value &v, const std::string &path);

}  // namespace blyan::engine::tok
