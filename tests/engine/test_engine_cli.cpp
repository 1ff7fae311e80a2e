// blyan-engine's model commands end to end: make-test-model, generate, perplexity (against the float64
// reference), bench, and the exit codes and messages of bad invocations.
#include "engine_test_util.h"

#include <gtest/gtest.h>

#include <sys/wait.h>

using namespace blyan::engine;

namespace {

struct CliRun {
    int code = -1;
    std::string out;  // stdout and stderr together
};

CliRun run(const std::string &args)
{
    const std::string cmd = std::string(BLYAN_BIN_DIR) + "/blyan-engine " + args + " 2>&1";
    FILE *p = ::popen(cmd.c_str(), "r");
    CliRun r;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) r.out.append(buf, n);
    const int status = ::pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

class EngineCli : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        dir = test::tempDir("cli").string();
        const CliRun r = run("make-test-model --arch qwen3_moe --out " + dir + "/m --hidden 64 --layers 2 --experts 8 --top-k 2 "
                          "--moe-intermediate 32 --heads 4 --kv-heads 2 --head-dim 16 --vocab 300 --untied --dtype f32 --seed 9");
        ASSERT_EQ(r.code, 0) << r.out;
    }
    static void TearDownTestSuite() { std::filesystem::remove_all(dir); }
    static inline std::string dir;
};

TEST_F(EngineCli, GenerateAndPerplexityMatchTheReference)
{
    if (!test::haveNumpy()) GTEST_SKIP() << "numpy is not installed for " << test::python() << " (apt-get install python3-numpy)";
    const std::string m = dir + "/m";
    CliRun g = run("generate --model " + m + " --prompt-ids 3,1,4,1,5 -n 10 --greedy --ids --ignore-eos -t 2");
    ASSERT_EQ(g.code, 0) << g.out;
    const std::string ref = test::runRef("greedy --model " + m + " --ids 3,1,4,1,5 -n 10");
    EXPECT_EQ(g.out.substr(0, g.out.find('\n')), ref.substr(0, ref.find('\n')));

    const auto ids = test::randomIds(200, 300, 4);
    test::writeText(dir + "/ids.txt", test::joinIds(ids));
    CliRun p = run("perplexity --model " + m + " --ids-file " + dir + "/ids.txt --ctx 64");
    ASSERT_EQ(p.code, 0) << p.out;
    const auto at = p.out.rfind("perplexity: ");
    ASSERT_NE(at, std::string::npos) << p.out;
    const double ours = std::stod(p.out.substr(at + 12));
    const std::string r = test::runRef("perplexity --model " + m + " --ids-file " + dir + "/ids.txt --ctx 64");
    const double theirs = std::stod(r.substr(r.find(':') + 1));
    EXPECT_LT(std::fabs(ours - theirs) / theirs, 1e-5) << ours << " vs " << theirs;
}

TEST_F(EngineCli, BenchPrintsTheTable)
{
    CliRun b = run("bench --model " + dir + "/m -p 8 -n 4 -r 2 -t 1");
    ASSERT_EQ(b.code, 0) << b.out;
    EXPECT_NE(b.out.find("| model"), std::string::npos) << b.out;
    EXPECT_NE(b.out.find("pp8"), std::string::npos) << b.out;
    EXPECT_NE(b.out.find("tg4"), std::string::npos) << b.out;
}

TEST_F(EngineCli, ClearErrors)
{
    CliRun r = run("generate --model " + dir + "/nope --prompt-ids 1 -n 2 --ids");
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.out.find("nope: not a directory"), std::string::npos) << r.out;
    r = run("bench --model " + dir + "/m --frobnicate");
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.out.find("unknown option '--frobnicate'"), std::string::npos) << r.out;
    r = run("perplexity --model " + dir + "/m --ids-file " + dir + "/ids.txt --ctx 4096");
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.out.find("at least 2 x ctx"), std::string::npos) << r.out;
    r = run("generate --model " + dir + "/m --prompt-ids 1,999 -n 2 --ids");
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.out.find("token id 999 is outside the vocabulary"), std::string::npos) << r.out;
    r = run("generate --model " + dir + "/m --prompt hello -n 2");
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.out.find("tokenizer.json"), std::string::npos) << r.out;
    r = run("make-test-model --arch gpt2 --out " + dir + "/x");
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.out.find("unknown --arch 'gpt2'"), std::string::npos) << r.out;
}

}  // namespace
