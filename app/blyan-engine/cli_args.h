#pragma once
// Option parsing shared by the blyan-engine commands: "--name value", "--name=value", flags, repeatable
// options, and range-checked numbers, with errors that name the command and the option.

#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace blyan::cli {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Args {
public:
    // `valued`: options that take a value (aliases as "-t|--threads"); `flags`: options that do not.
    Args(int argc, char **argv, int first, std::string command, const std::vector<std::string> &valued,
         const std::vector<std::string> &flags);

    bool has(const std::string &name) const;  // canonical name: the last alias ("--threads")
    std::string str(const std::string &name, const std::string &fallback = {}) const;
    std::string required(const std::string &name) const;
    std::vector<std::string> all(const std::string &name) const;  // every occurrence, in order
    int64_t integer(const std::string &name, int64_t fallback, int64_t min, int64_t max) const;
    double number(const std::string &name, double fallback, double min, double max) const;
    const std::string &command() const { return command_; }

    // Applies -t/--threads (when given) to LibTorch.
    void applyThreads() const;

private:
    std::string command_;
    std::map<std::string, std::vector<std::string>> values_;
    std::set<std::string> flags_;
};

// Comma- or whitespace-separated token ids ("1,2,3" or the contents of a file).
std::vector<int32_t> parseIds(const std::string &text, const std::string &what);
std::string readFile(const std::string &path);

}  // namespace blyan::cli
