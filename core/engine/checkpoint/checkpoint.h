#pragma once
// A Hugging Face model directory: config.json plus model.safetensors, or shards listed by
// model.safetensors.index.json. Every shard is memory-mapped once; tensors are looked up by their HF name.
// Plain C++; turning entries into LibTorch tensors (dtype conversion, FP8 dequantisation) is in
// tensor_loader.h.

#include "engine/checkpoint/config.h"
#include "engine/checkpoint/safetensors.h"

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace blyan::engine {

class Checkpoint {
public:
    // Throws EngineError naming the directory or file at fault.
    static std::shared_ptr<Checkpoint> open(const std::string &dir);
    // A checkpoint assembled from already-opened safetensors files (the components of a model stored as
    // chain objects, core/model): `label` names it in errors. A tensor name in two files is an error.
    static std::shared_ptr<Checkpoint> fromFiles(const std::string &label, const ModelConfig &config,
                                                 std::vector<std::shared_ptr<SafetensorsFile>> files);

    const std::string &dir() const { return dir_; }
    const ModelConfig &config() const { return config_; }
    const std::vector<std::shared_ptr<SafetensorsFile>> &files() const { return files_; }

    struct Found {
        const TensorEntry *entry = nullptr;
        const SafetensorsFile *file = nullptr;
    };
    // nullptr entry when absent.
    Found find(std::string_view name) const;
    // Throws "DIR: tensor 'x' is missing (expected in model-00002-of-00003.safetensors)".
    Found require(std::string_view name) const;
    uint64_t totalBytes() const;

private:
    std::string dir_;
    ModelConfig config_;
    std::vector<std::shared_ptr<SafetensorsFile>> files_;
    std::map<std::string, Found, std::less<>> byName_;
    std::map<std::string, std::string, std::less<>> indexFileOf_;  // from the index, for messages
};

}  // namespace blyan::engine
