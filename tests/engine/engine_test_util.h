#pragma once
// Helpers for engine tests: temporary directories, test checkpoints, and the float64 numpy reference
// (tests/engine/reference/qwen3_moe_ref.py) run as a subprocess.

#include "engine/checkpoint/make_test_model.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

namespace blyan::engine::test {

inline std::filesystem::path tempDir(const std::string &name)
{
    auto p = std::filesystem::temp_directory_path() / ("blyan-engine-test-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(p);
    std::filesystem::create_directories(p);
    return p;
}

inline std::string readText(const std::filesystem::path &p)
{
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void writeText(const std::filesystem::path &p, const std::string &s)
{
    std::ofstream(p, std::ios::binary | std::ios::trunc) << s;
}

inline std::string refScript() { return std::string(BLYAN_SOURCE_DIR) + "/tests/engine/reference/qwen3_moe_ref.py"; }

// Debian's interpreter (numpy from python3-numpy); a pyenv python3 on PATH may lack numpy.
inline std::string python()
{
    if (const char *p = std::getenv("BLYAN_TEST_PYTHON")) return p;
    return std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

inline bool haveNumpy()
{
    static const bool ok = std::system((python() + " -c 'import numpy' >/dev/null 2>&1").c_str()) == 0;
    return ok;
}

inline std::string joinIds(const std::vector<int32_t> &ids)
{
    std::string s;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) s += ',';
        s += std::to_string(ids[i]);
    }
    return s;
}

// Runs the reference; returns its stdout. Throws on failure.
inline std::string runRef(const std::string &args)
{
    const std::string cmd = python() + " " + refScript() + " " + args;
    FILE *p = ::popen(cmd.c_str(), "r");
    if (!p) throw std::runtime_error("cannot run " + cmd);
    std::string out;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    if (::pclose(p) != 0) throw std::runtime_error("reference failed: " + cmd + "\n" + out);
    return out;
}

inline std::vector<double> refLogits(const std::string &dir, const std::vector<int32_t> &ids)
{
    const std::string out = dir + "/ref-logits.f64";
    runRef("logits --model " + dir + " --ids " + joinIds(ids) + " --out " + out);
    std::ifstream in(out, std::ios::binary);
    std::vector<double> v;
    double x;
    while (in.read(reinterpret_cast<char *>(&x), sizeof x)) v.push_back(x);
    return v;
}

inline std::vector<int32_t> randomIds(int n, int64_t vocab, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::vector<int32_t> ids(static_cast<std::size_t>(n));
    for (auto &t : ids) t = static_cast<int32_t>(rng() % static_cast<uint64_t>(vocab));
    return ids;
}

}  // namespace blyan::engine::test
