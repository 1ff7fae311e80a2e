// Chat templates against @huggingface/jinja renderings (tests/data/tokenizer/chat_golden.jsonl, made by
// tests/engine/tokenizer_reference/chat.mjs): the real Qwen3 tokenizer_config.json template byte for byte,
// plus the [INST], Tulu and plain ChatML templates; unknown templates are refused.
#include "engine/tokenizer/chat_template.h"
#include "engine/tokenizer/tokenizer.h"
#include "engine/util/error.h"
#include "tokenizer_test_util.h"

using namespace blyan::engine;
using namespace blyan::engine::testing;

namespace {

std::vector<ChatMessage> messagesOf(const json::Value &list)
{
    std::vector<ChatMessage> out;
    for (const json::Value &m : list.asArray()) {
        ChatMessage msg{m.at("role").asString(), m.at("content").asString(), std::nullopt};
        if (const json::Value *r = m.find("reasoning_content")) msg.reasoningContent = r->asString();
        out.push_back(std::move(msg));
    }
    return out;
}

ChatTemplate templateNamed(const std::string &name)
{
    if (name == "qwen3") return ChatTemplate::loadModelDir(qwen3Dir());
    const std::string source = readText(tokenizerDataDir() + "/chat/" + name + ".jinja");
    if (name == "mistral_inst") return ChatTemplate::fromSource(source, "<s>", "</s>");
    if (name == "olmoe_tulu") return ChatTemplate::fromSource(source, "", "<|endoftext|>");
    return ChatTemplate::fromSource(source, "", "<|im_end|>");
}

}  // namespace

TEST(ChatTemplate, RendersExactlyAsJinja)
{
    if (qwen3Dir().empty()) return;
    const auto rows = readJsonl(tokenizerDataDir() + "/chat_golden.jsonl");
    ASSERT_GT(rows.size(), 60u);
    for (const json::Value &row : rows) {
        const ChatTemplate t = templateNamed(row.at("template").asString());
        ChatOptions options;
        options.addGenerationPrompt = row.at("add_generation_prompt").asBool();
        if (!row.at("enable_thinking").isNull()) options.enableThinking = row.at("enable_thinking").asBool();
        const std::vector<ChatMessage> messages = messagesOf(row.at("messages"));
        EXPECT_EQ(t.render(messages, options), row.at("rendered").asString()) << row.at("template").asString() << " " << json::serialize(row.at("messages"));
    }
}

TEST(ChatTemplate, RecognisesTemplatesAndRefusesOthers)
{
    if (qwen3Dir().empty()) return;
    EXPECT_EQ(ChatTemplate::loadModelDir(qwen3Dir()).format(), ChatFormat::Qwen3);
    try {
        ChatTemplate::fromSource("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] }}{% endfor %}", "", "");
        FAIL() << "accepted an unknown template";
    } catch (const EngineError &e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("unsupported chat template"), std::string::npos) << what;
        EXPECT_NE(what.find("ChatML"), std::string::npos) << what;
    }
    EXPECT_THROW(ChatTemplate::loadModelDir("/nonexistent"), EngineError);
    // The [INST] template refuses roles that do not alternate, as its Jinja raise_exception does.
    const ChatTemplate inst = templateNamed("mistral_inst");
    const std::vector<ChatMessage> bad = {{"user", "a", {}}, {"user", "b", {}}};
    EXPECT_THROW(inst.render(bad), EngineError);
    const std::vector<ChatMessage> sys = {{"system", "a", {}}};
    EXPECT_THROW(inst.render(sys), EngineError);
}

TEST(ChatTemplate, Qwen3PromptTokenizesToChatMarkers)
{
    const std::string dir = qwen3Dir();
    if (dir.empty()) return;
    const Tokenizer tok = Tokenizer::loadModelDir(dir);
    const std::vector<ChatMessage> messages = {{"user", "Hi", {}}};
    ChatOptions noThinking;
    noThinking.enableThinking = false;
    const std::vector<int32_t> ids = tok.encode(ChatTemplate::loadModelDir(dir).render(messages, noThinking));
    ASSERT_GE(ids.size(), 8u);
    EXPECT_EQ(ids.front(), 151644);                           // <|im_start|>
    EXPECT_EQ(ids[ids.size() - 4], tok.tokenToId("<think>"));  // ... <think> "\n\n" </think> "\n\n"
    EXPECT_EQ(ids[ids.size() - 2], tok.tokenToId("</think>"));
}
