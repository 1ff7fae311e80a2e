#include "engine/tokenizer/chat_template.h"

#include "engine/util/error.h"
#include "engine/util/json.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace blyan::engine {

namespace {

// Fingerprints of the exact template texts each renderer reproduces (see tests/data/tokenizer/chat/ and
// the real Qwen3 tokenizer_config.json); regenerate with ChatTemplate::fingerprint when adding one.
struct Known {
    uint64_t fingerprint;
    ChatFormat format;
};
constexpr Known kKnown[] = {
    {0x2bfdb7aa9754484eull, ChatFormat::Qwen3},        // Qwen3 (Qwen3-30B-A3B family), with thinking
    {0x88bf4138d5c826f0ull, ChatFormat::ChatML},       // plain ChatML
    {0x8c734b90b4f8d84dull, ChatFormat::MistralInst},  // Mixtral-8x7B-Instruct-v0.1 / Mistral [INST]
    {0x413797fa6df6fee5ull, ChatFormat::Tulu},         // OLMoE-1B-7B-Instruct (Tulu format)
};

// Python's str.lstrip('\n') / rstrip('\n') / strip('\n').
std::string lstripNl(std::string_view s)
{
    const std::size_t b = s.find_first_not_of('\n');
    return b == std::string_view::npos ? std::string() : std::string(s.substr(b));
}
std::string rstripNl(std::string_view s)
{
    const std::size_t e = s.find_last_not_of('\n');
    return e == std::string_view::npos ? std::string() : std::string(s.substr(0, e + 1));
}
std::string stripNl(std::string_view s) { return rstripNl(lstripNl(s)); }

// s.split(sep)[-1] and s.split(sep)[0].
std::string afterLast(std::string_view s, std::string_view sep)
{
    const std::size_t at = s.rfind(sep);
    return std::string(at == std::string_view::npos ? s : s.substr(at + sep.size()));
}
std::string beforeFirst(std::string_view s, std::string_view sep)
{
    return std::string(s.substr(0, s.find(sep)));
}

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool endsWith(std::string_view s, std::string_view p) { return s.size() >= p.size() && s.substr(s.size() - p.size()) == p; }

std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw EngineError("cannot open " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

uint64_t ChatTemplate::fingerprint(std::string_view source)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : source) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    return h;
}

ChatTemplate ChatTemplate::fromSource(std::string_view source, std::string bosToken, std::string eosToken)
{
    const uint64_t fp = fingerprint(source);
    for (const Known &k : kKnown)
        if (k.fingerprint == fp) return ChatTemplate(k.format, std::move(bosToken), std::move(eosToken));
    const char *looks = source.find("<|im_start|>") != std::string_view::npos ? "ChatML"
                        : source.find("[INST]") != std::string_view::npos  ? "[INST]"
                        : source.find("<|user|>") != std::string_view::npos ? "Tulu"
                                                                            : "an unknown format";
    char hex[32];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fp));
    std::string head(source.substr(0, 60));
    for (char &c : head)
        if (c == '\n') c = ' ';
    throw EngineError(std::string("unsupported chat template (looks like ") + looks + ", fingerprint " + hex + ", begins \"" + head +
                      "...\"): only the exact Qwen3, ChatML, Mistral [INST] v0.1 and OLMoE Tulu templates are rendered, so that a "
                      "variant never yields a different prompt than the model expects");
}

ChatTemplate ChatTemplate::loadModelDir(const std::string &dir)
{
    const std::string path = (std::filesystem::path(dir) / "tokenizer_config.json").string();
    json::Value cfg;
    try {
        cfg = json::parse(readFile(path));
    } catch (const json::ParseError &e) {
        throw EngineError(path + ": " + e.what());
    }
    const json::Value *source = cfg.find("chat_template");
    if (!source || !source->isString())
        throw EngineError(path + ": no chat_template string (a list of named templates is not supported)");
    // bos_token / eos_token: a string, an AddedToken object {"content": ...}, or null (renders as "").
    const auto token = [&](const char *key) {
        const json::Value *v = cfg.find(key);
        if (!v || v->isNull()) return std::string();
        if (v->isString()) return v->asString();
        if (v->isObject() && v->find("content") && v->at("content").isString()) return v->at("content").asString();
        throw EngineError(path + ": " + key + ": expected a string, {\"content\": ...} or null");
    };
    try {
        return fromSource(source->asString(), token("bos_token"), token("eos_token"));
    } catch (const EngineError &e) {
        throw EngineError(path + ": " + e.what());
    }
}

const char *ChatTemplate::name() const
{
    switch (format_) {
    case ChatFormat::Qwen3: return "qwen3";
    case ChatFormat::ChatML: return "chatml";
    case ChatFormat::MistralInst: return "mistral-inst";
    case ChatFormat::Tulu: return "tulu";
    }
    return "?";
}

// The Qwen3 template without tool definitions: the system message first, earlier assistant turns with
// their thinking removed, the turns after the last real user query with <think> blocks, consecutive tool
// results merged into one user turn, and enable_thinking=false as an empty think block.
std::string ChatTemplate::renderQwen3(std::span<const ChatMessage> m, const ChatOptions &options) const
{
    std::string out;
    const std::size_t n = m.size();
    if (n > 0 && m[0].role == "system") out += "<|im_start|>system\n" + m[0].content + "<|im_end|>\n";
    // The last user message that is not a tool response wrapped as a user turn.
    std::size_t lastQuery = n - 1;  // wraps for n == 0, which no loop below uses
    for (std::size_t k = n; k-- > 0;) {
        const std::string &c = m[k].content;
        if (m[k].role == "user" && !(startsWith(c, "<tool_response>") && endsWith(c, "</tool_response>"))) {
            lastQuery = k;
            break;
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        const ChatMessage &msg = m[i];
        if (msg.role == "user" || (msg.role == "system" && i != 0)) {
            out += "<|im_start|>" + msg.role + "\n" + msg.content + "<|im_end|>\n";
        } else if (msg.role == "assistant") {
            std::string content = msg.content;
            std::string reasoning;
            if (msg.reasoningContent) {
                reasoning = *msg.reasoningContent;
            } else if (msg.content.find("</think>") != std::string::npos) {
                content = lstripNl(afterLast(msg.content, "</think>"));
                reasoning = lstripNl(afterLast(rstripNl(beforeFirst(msg.content, "</think>")), "<think>"));
            }
            if (i > lastQuery && (i + 1 == n || !reasoning.empty()))
                out += "<|im_start|>" + msg.role + "\n<think>\n" + stripNl(reasoning) + "\n</think>\n\n" + lstripNl(content);
            else
                out += "<|im_start|>" + msg.role + "\n" + content;
            out += "<|im_end|>\n";
        } else if (msg.role == "tool") {
            if (i == 0 || m[i - 1].role != "tool") out += "<|im_start|>user";
            out += "\n<tool_response>\n" + msg.content + "\n</tool_response>";
            if (i + 1 == n || m[i + 1].role != "tool") out += "<|im_end|>\n";
        }
    }
    if (options.addGenerationPrompt) {
        out += "<|im_start|>assistant\n";
        if (options.enableThinking && !*options.enableThinking) out += "<think>\n\n</think>\n\n";
    }
    return out;
}

std::string ChatTemplate::render(std::span<const ChatMessage> m, const ChatOptions &options) const
{
    std::string out;
    switch (format_) {
    case ChatFormat::Qwen3:
        return renderQwen3(m, options);
    case ChatFormat::ChatML:
        for (const ChatMessage &msg : m) out += "<|im_start|>" + msg.role + "\n" + msg.content + "<|im_end|>\n";
        if (options.addGenerationPrompt) out += "<|im_start|>assistant\n";
        return out;
    case ChatFormat::MistralInst:
        // The template raises for these; so do we. It has no generation prompt: [/INST] ends the prompt.
        out = bos_;
        for (std::size_t i = 0; i < m.size(); ++i) {
            if ((m[i].role == "user") != (i % 2 == 0))
                throw EngineError("chat template: Conversation roles must alternate user/assistant/user/assistant/...");
            if (m[i].role == "user") out += "[INST] " + m[i].content + " [/INST]";
            else if (m[i].role == "assistant") out += m[i].content + eos_;
            else throw EngineError("chat template: Only user and assistant roles are supported!");
        }
        return out;
    case ChatFormat::Tulu:
        out = bos_;
        for (std::size_t i = 0; i < m.size(); ++i) {
            const bool last = i + 1 == m.size();
            if (m[i].role == "system") out += "<|system|>\n" + m[i].content + "\n";
            else if (m[i].role == "user") out += "<|user|>\n" + m[i].content + "\n";
            else if (m[i].role == "assistant") out += "<|assistant|>\n" + m[i].content + eos_ + (last ? "" : "\n");
            if (last && options.addGenerationPrompt) out += "<|assistant|>\n";
        }
        return out;
    }
    return out;
}

}  // namespace blyan::engine
