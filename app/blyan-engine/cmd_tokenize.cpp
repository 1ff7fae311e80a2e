// blyan-engine tokenize --model DIR | --tokenizer FILE --input FILE [--add-special-tokens]
// Each input line is a JSON string; prints one JSON array of token ids per line (DESIGN.md section 12).
// A bad line stops the command with its line number and the reason, so that outputs never shift lines.
#include "cli_args.h"
#include "commands.h"

#include "engine/tokenizer/tokenizer.h"
#include "engine/util/error.h"
#include "engine/util/json.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

namespace blyan::cli {

int cmdTokenize(int argc, char **argv)
{
    Args a(argc, argv, 2, "tokenize", {"--model", "--tokenizer", "--input"}, {"--add-special-tokens"});
    if (a.has("--model") == a.has("--tokenizer")) throw UsageError("tokenize: give exactly one of --model DIR or --tokenizer FILE");
    const std::string inputPath = a.required("--input");
    const bool addSpecial = a.has("--add-special-tokens");
    const engine::Tokenizer tok =
        a.has("--model") ? engine::Tokenizer::loadModelDir(a.str("--model")) : engine::Tokenizer::loadFile(a.str("--tokenizer"));

    std::ifstream fileIn;
    if (inputPath != "-") {
        fileIn.open(inputPath, std::ios::binary);
        if (!fileIn) throw engine::EngineError("cannot open " + inputPath);
    }
    std::istream &in = inputPath == "-" ? std::cin : fileIn;
    std::string line, out;
    for (std::size_t lineNo = 1; std::getline(in, line); ++lineNo) {
        if (!line.empty() && line.back() == '\r') line.pop_back();  // tolerate CRLF files
        engine::json::Value v;
        try {
            v = engine::json::parse(line);
        } catch (const engine::json::ParseError &e) {
            throw engine::EngineError(inputPath + " line " + std::to_string(lineNo) + ": " + e.what());
        }
        if (!v.isString()) throw engine::EngineError(inputPath + " line " + std::to_string(lineNo) + ": expected a JSON string");
        out = "[";
        bool first = true;
        for (int32_t id : tok.encode(v.asString(), addSpecial)) {
            if (!first) out += ", ";
            out += std::to_string(id);
            first = false;
        }
        out += "]\n";
        std::fwrite(out.data(), 1, out.size(), stdout);
    }
    if (in.bad()) throw engine::EngineError("cannot read " + inputPath);
    return 0;
}

}  // namespace blyan::cli
