#pragma once
// Writing safetensors files the way Hugging Face's `safetensors` library does: tensors ordered by dtype
// alignment (largest first) then name, the JSON header padded with spaces so the data buffer starts at a
// multiple of 8 bytes, a "__metadata__" {"format": "pt"} entry. Data is produced tensor by tensor so that a
// checkpoint larger than memory can be written. Plain C++.

#include "engine/checkpoint/safetensors.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace blyan::engine {

struct PlannedTensor {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    // Called once, in file order; must return exactly numel x dtypeSize bytes.
    std::function<std::vector<uint8_t>()> produce;
    uint64_t nbytes() const;
};

// Writes one file. Throws EngineError on I/O errors or when a producer returns the wrong byte count.
void writeSafetensors(const std::string &path, std::vector<PlannedTensor> tensors);

// Splits tensors into shards of at most maxShardBytes (a tensor larger than that gets a shard of its own) and
// writes model.safetensors, or model-0000i-of-0000n.safetensors plus model.safetensors.index.json, into dir.
// Returns the file names written.
std::vector<std::string> writeCheckpointShards(const std::string &dir, std::vector<PlannedTensor> tensors,
                                               uint64_t maxShardBytes);

}  // namespace blyan::engine
