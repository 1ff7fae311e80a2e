#include "cli_args.h"

#include "engine/runtime.h"

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace blyan::cli {

namespace {

std::vector<std::string> split(const std::string &aliases)
{
    std::vector<std::string> out;
    std::stringstream ss(aliases);
    std::string a;
    while (std::getline(ss, a, '|')) out.push_back(a);
    return out;
}

}  // namespace

Args::Args(int argc, char **argv, int first, std::string command, const std::vector<std::string> &valued,
           const std::vector<std::string> &flags)
    : command_(std::move(command))
{
    std::map<std::string, std::string> valuedAlias, flagAlias;
    for (const auto &v : valued)
        for (const auto &a : split(v)) valuedAlias[a] = split(v).back();
    for (const auto &f : flags)
        for (const auto &a : split(f)) flagAlias[a] = split(f).back();
    for (int i = first; i < argc; ++i) {
        std::string arg = argv[i], value;
        bool inlineValue = false;
        if (auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
            value = arg.substr(eq + 1);
            arg.resize(eq);
            inlineValue = true;
        }
        if (auto it = valuedAlias.find(arg); it != valuedAlias.end()) {
            if (!inlineValue) {
                if (i + 1 >= argc) throw UsageError(command_ + ": " + arg + " needs a value");
                value = argv[++i];
            }
            values_[it->second].push_back(value);
        } else if (auto f = flagAlias.find(arg); f != flagAlias.end() && !inlineValue) {
            flags_.insert(f->second);
        } else {
            throw UsageError(command_ + ": unknown option '" + std::string(argv[i]) + "'");
        }
    }
}

bool Args::has(const std::string &name) const { return flags_.count(name) || values_.count(name); }

std::string Args::str(const std::string &name, const std::string &fallback) const
{
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second.back();
}

std::string Args::required(const std::string &name) const
{
    auto it = values_.find(name);
    if (it == values_.end()) throw UsageError(command_ + ": " + name + " is required");
    return it->second.back();
}

std::vector<std::string> Args::all(const std::string &name) const
{
    auto it = values_.find(name);
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

int64_t Args::integer(const std::string &name, int64_t fallback, int64_t min, int64_t max) const
{
    if (!values_.count(name)) return fallback;
    const std::string s = str(name);
    char *end = nullptr;
    errno = 0;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || errno != 0 || v < min || v > max)
        throw UsageError(command_ + ": " + name + " expects an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                         ", got '" + s + "'");
    return v;
}

double Args::number(const std::string &name, double fallback, double min, double max) const
{
    if (!values_.count(name)) return fallback;
    const std::string s = str(name);
    char *end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || *end != '\0' || !(v >= min && v <= max))
        throw UsageError(command_ + ": " + name + " expects a number from " + std::to_string(min) + " to " + std::to_string(max) +
                         ", got '" + s + "'");
    return v;
}

void Args::applyThreads() const
{
    if (has("--threads")) engine::setCpuThreads(static_cast<int>(integer("--threads", 0, 1, 1024)));
}

std::vector<int32_t> parseIds(const std::string &text, const std::string &what)
{
    std::vector<int32_t> ids;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ',' || std::isspace(static_cast<unsigned char>(text[i])))) ++i;
        if (i >= text.size()) break;
        std::size_t j = i;
        while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
        if (j == i || j - i > 9) throw UsageError(what + ": expected token ids (non-negative integers) at '" + text.substr(i, 16) + "'");
        ids.push_back(static_cast<int32_t>(std::stol(text.substr(i, j - i))));
        i = j;
    }
    return ids;
}

std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError(path + ": cannot open");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace blyan::cli
