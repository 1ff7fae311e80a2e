#pragma once
// Chat templates: renders a conversation into the prompt text a model was trained on, for the templates a
// tokenizer_config.json declares. There is no Jinja interpreter: each supported template has a C++
// renderer that reproduces its output byte for byte (checked against @huggingface/jinja renderings in
// tests/data/tokenizer/chat_golden.jsonl). A template is recognised by its exact text (a fingerprint), so
// a variant we have not checked is refused with an error naming it instead of producing a subtly wrong
// prompt. Supported: Qwen3 (ChatML with thinking), plain ChatML, Mixtral/Mistral [INST] (v0.1), and the
// Tulu format of OLMoE-Instruct.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace blyan::engine {

struct ChatMessage {
    std::string role;  // "system", "user", "assistant" or "tool"
    std::string content;
    std::optional<std::string> reasoningContent;  // Qwen3: the assistant's thinking, when kept apart
};

struct ChatOptions {
    bool addGenerationPrompt = true;  // end with the assistant's header so the model answers
    // Qwen3: false renders an empty <think></think> so that the model answers without thinking;
    // nullopt leaves it to the template (thinking on).
    std::optional<bool> enableThinking;
};

enum class ChatFormat { Qwen3, ChatML, MistralInst, Tulu };

class ChatTemplate {
public:
    // Recognises `source` (the chat_template string). bos/eos are the tokenizer_config.json tokens
    // ("" when null). Throws EngineError for a template it does not support, with its fingerprint.
    static ChatTemplate fromSource(std::string_view source, std::string bosToken, std::string eosToken);
    // Reads DIR/tokenizer_config.json (chat_template, bos_token, eos_token). Throws EngineError.
    static ChatTemplate loadModelDir(const std::string &dir);

    // Throws EngineError when the template itself would refuse (e.g. [INST] roles that do not alternate).
    std::string render(std::span<const ChatMessage> messages, const ChatOptions &options = {}) const;

    ChatFormat format() const { return format_; }
    const char *name() const;
    // FNV-1a 64 of the template text, as printed in errors for unknown templates.
    static uint64_t fingerprint(std::string_view source);

private:
    ChatTemplate(ChatFormat f, std::string bos, std::string eos) : format_(f), bos_(std::move(bos)), eos_(std::move(eos)) {}
    std::string renderQwen3(std::span<const ChatMessage> messages, const ChatOptions &options) const;

    ChatFormat format_;
    std::string bos_, eos_;
};

}  // namespace blyan::engine
