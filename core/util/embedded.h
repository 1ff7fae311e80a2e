#pragma once
// Files from config/ compiled into the binary (cmake/EmbedFiles.cmake), looked up by file name:
// "devnet.json", "testnet.json", "tokenomics.json". Empty when there is no such file.

#include <string_view>

namespace blyan {

std::string_view embeddedFile(std::string_view name);

}  // namespace blyan
