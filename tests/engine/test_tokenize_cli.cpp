// blyan-engine tokenize: JSON string per line in, id array per line out, exact against the golden ids;
// a bad line is refused with its line number.
#include "tokenizer_test_util.h"

#include <cstdio>
#include <fstream>

using namespace blyan::engine;
using namespace blyan::engine::testing;

namespace {

// Runs a shell command, returning stdout and setting the exit status.
std::string run(const std::string &command, int &status)
{
    std::string out;
    FILE *p = popen(command.c_str(), "r");
    if (!p) return out;
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    status = pclose(p);
    return out;
}

}  // namespace

TEST(TokenizeCli, PrintsGoldenIdsPerLine)
{
    const std::string dir = qwen3Dir();
    if (dir.empty()) return;
    const auto rows = readJsonl(tokenizerDataDir() + "/qwen3_golden.jsonl");
    const std::string input = std::string(BLYAN_BUILD_DIR) + "/tokenize_cli_input.jsonl";
    std::string expected;
    {
        std::ofstream in(input, std::ios::binary);
        for (std::size_t i = 0; i < rows.size(); i += 7) {
            in << json::serialize(rows[i].at("text")) << "\n";
            expected += "[";
            const auto ids = idsOf(rows[i].at("ids"));
            for (std::size_t k = 0; k < ids.size(); ++k) expected += (k ? ", " : "") + std::to_string(ids[k]);
            expected += "]\n";
        }
    }
    int status = -1;
    const std::string out = run(std::string(BLYAN_BIN_DIR) + "/blyan-engine tokenize --model '" + dir + "' --input '" + input + "'", status);
    EXPECT_EQ(status, 0);
    EXPECT_EQ(out, expected);

    std::ofstream(input, std::ios::binary) << "\"fine\"\n[1]\n";
    const std::string err = run(std::string(BLYAN_BIN_DIR) + "/blyan-engine tokenize --model '" + dir + "' --input '" + input + "' 2>&1", status);
    EXPECT_NE(status, 0);
    EXPECT_NE(err.find("line 2: expected a JSON string"), std::string::npos) << err;
}
