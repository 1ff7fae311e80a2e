#include "engine/checkpoint/checkpoint.h"

#include "engine/util/error.h"
#include "engine/util/json.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace blyan::engine {

namespace fs = std::filesystem;

std::shared_ptr<Checkpoint> Checkpoint::open(const std::string &dir)
{
    auto ck = std::make_shared<Checkpoint>();
    ck->dir_ = dir;
    if (!fs::is_directory(dir)) throw EngineError(dir + ": not a directory");
    ck->config_ = ModelConfig::load((fs::path(dir) / "config.json").string());

    std::vector<std::string> shardNames;
    const fs::path indexPath = fs::path(dir) / "model.safetensors.index.json";
    if (fs::exists(indexPath)) {
        std::ifstream in(indexPath, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        json::Value index;
        try {
            index = json::parse(ss.str());
        } catch (const json::ParseError &e) {
            throw EngineError(indexPath.string() + ": " + e.what());
        }
        const json::Value *map = index.isObject() ? index.find("weight_map") : nullptr;
        if (!map || !map->isObject()) throw EngineError(indexPath.string() + ": missing 'weight_map' object");
        std::set<std::string> seen;
        for (const auto &m : map->members()) {
            if (!m.value.isString()) throw EngineError(indexPath.string() + ": weight_map['" + m.key + "'] is not a file name");
            const std::string &file = m.value.asString();
            if (file.find('/') != std::string::npos || file.find('\\') != std::string::npos || file == "..")
                throw EngineError(indexPath.string() + ": shard name '" + file + "' must be a plain file name");
            ck->indexFileOf_[m.key] = file;
            if (seen.insert(file).second) shardNames.push_back(file);
        }
    } else if (fs::exists(fs::path(dir) / "model.safetensors")) {
        shardNames.push_back("model.safetensors");
    } else {
        throw EngineError(dir + ": no model.safetensors or model.safetensors.index.json");
    }

    for (const auto &name : shardNames) {
        auto file = SafetensorsFile::open((fs::path(dir) / name).string());
        for (const auto &t : file->tensors()) {
            if (ck->byName_.count(t.name))
                throw EngineError(file->path() + ": tensor '" + t.name + "' is also in " + ck->byName_[t.name].file->path());
            auto listed = ck->indexFileOf_.find(t.name);
            if (!ck->indexFileOf_.empty() && (listed == ck->indexFileOf_.end() || listed->second != name))
                continue;  // not where the index says it lives: the index is authoritative
            ck->byName_[t.name] = Found{&t, file.get()};
        }
        ck->files_.push_back(std::move(file));
    }
    for (const auto &[tensor, file] : ck->indexFileOf_)
        if (!ck->byName_.count(tensor))
            throw EngineError((fs::path(dir) / file).string() + ": tensor '" + tensor +
                              "' is listed in model.safetensors.index.json but not in this file");
    return ck;
}

std::shared_ptr<Checkpoint> Checkpoint::fromFiles(const std::string &label, const ModelConfig &config,
                                                  std::vector<std::shared_ptr<SafetensorsFile>> files)
{
    auto ck = std::make_shared<Checkpoint>();
    ck->dir_ = label;
    ck->config_ = config;
    for (auto &file : files) {
        for (const auto &t : file->tensors()) {
            if (ck->byName_.count(t.name))
                throw EngineError(file->path() + ": tensor '" + t.name + "' is also in " + ck->byName_[t.name].file->path());
            ck->byName_[t.name] = Found{&t, file.get()};
        }
        ck->files_.push_back(std::move(file));
    }
    return ck;
}

Checkpoint::Found Checkpoint::find(std::string_view name) const
{
    auto it = byName_.find(name);
    return it == byName_.end() ? Found{} : it->second;
}

Checkpoint::Found Checkpoint::require(std::string_view name) const
{
    Found f = find(name);
    if (!f.entry) throw EngineError(dir_ + ": tensor '" + std::string(name) + "' is missing from the checkpoint");
    return f;
}

uint64_t Checkpoint::totalBytes() const
{
    uint64_t n = 0;
    for (const auto &f : files_) n += f->mapping()->size();
    return n;
}

}  // namespace blyan::engine
