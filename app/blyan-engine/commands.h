#pragma once
// The blyan-engine commands (DESIGN.md section 12), one file each. Each returns the process exit code and
// may throw blyan::cli::UsageError (bad options, exit 2) or std::exception (exit 1); main() prints them.

namespace blyan::cli {

int cmdMakeTestModel(int argc, char **argv);
int cmdGenerate(int argc, char **argv);
int cmdPerplexity(int argc, char **argv);
int cmdBench(int argc, char **argv);
int cmdTokenize(int argc, char **argv);

}  // namespace blyan::cli
