#pragma once
// Helpers shared by the tokenizer tests: where the test data lives and JSONL reading.

#include "engine/util/json.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace blyan::engine::testing {

inline std::string tokenizerDataDir() { return std::string(BLYAN_SOURCE_DIR) + "/tests/data/tokenizer"; }

// The real Qwen3 tokenizer from ../shared/data; empty string (and a test failure naming the path) when absent.
inline std::string qwen3Dir()
{
    const std::string dir = std::string(BLYAN_SHARED_DATA_DIR) + "/qwen3-tokenizer";
    if (!std::filesystem::exists(dir + "/tokenizer.json")) {
        ADD_FAILURE() << "The real Qwen3 tokenizer is missing: expected " << dir
                      << "/tokenizer.json (shared test data; point CMake at it with -DBLYAN_SHARED_DATA_DIR=/path/to/shared/data)";
        return {};
    }
    return dir;
}

inline std::string readText(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// One parsed JSON value per non-empty line.
inline std::vector<json::Value> readJsonl(const std::string &path)
{
    std::vector<json::Value> rows;
    std::istringstream in(readText(path));
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) rows.push_back(json::parse(line));
    return rows;
}

inline std::vector<int32_t> idsOf(const json::Value &array)
{
    std::vector<int32_t> ids;
    for (const json::Value &v : array.asArray()) ids.push_back(static_cast<int32_t>(v.asInt64()));
    return ids;
}

// "[1, 2, 3]" for messages.
inline std::string show(const std::vector<int32_t> &ids, std::size_t from = 0, std::size_t count = 24)
{
    std::string s = "[";
    for (std::size_t i = from; i < ids.size() && i < from + count; ++i) s += (i > from ? ", " : "") + std::to_string(ids[i]);
    return s + (from + count < ids.size() ? ", ...]" : "]");
}

// A printable form of text for failure messages (JSON string escaping).
inline std::string quoted(const std::string &text)
{
    std::string out;
    json::appendQuoted(out, text);
    return out;
}

}  // namespace blyan::engine::testing
