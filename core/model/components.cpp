#include "model/components.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

namespace blyan::model {

namespace {

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Reads a decimal number at the front of `s` and the '.' after it.
bool number(std::string_view &s, int &out)
{
    std::size_t n = 0;
    while (n < s.size() && std::isdigit(static_cast<unsigned char>(s[n]))) ++n;
    if (n == 0 || n > 6 || n >= s.size() || s[n] != '.') return false;
    out = std::stoi(std::string(s.substr(0, n)));
    s.remove_prefix(n + 1);
    return true;
}

struct Slot {
    std::string name, kind;
    int layer = -1, expert = -1;
    int order = 0;  // within a layer: attention, mlp, shared expert, router, experts
};

bool classify(std::string_view t, const engine::ModelConfig &c, Slot &out)
{
    if (startsWith(t, "model.embed_tokens.")) return out = {"embed_tokens", "base", -1, -1, 0}, true;
    if (startsWith(t, "model.norm.")) return out = {"final_norm", "base", -1, -1, 0}, true;
    if (startsWith(t, "lm_head.")) return out = {"lm_head", "base", -1, -1, 0}, true;
    if (!startsWith(t, "model.layers.")) return false;
    t.remove_prefix(13);
    int L = 0;
    if (!number(t, L) || L >= c.numLayers) return false;
    const std::string layer = "layer" + std::to_string(L);
    for (std::string_view moe : {"mlp.experts.", "block_sparse_moe.experts."}) {
        if (!startsWith(t, moe)) continue;
        std::string_view rest = t.substr(moe.size());
        int E = 0;
        if (!number(rest, E) || E >= c.numExperts) return false;
        return out = {layer + ".expert" + std::to_string(E), "expert", L, E, 10 + E}, true;
    }
    if (startsWith(t, "mlp.gate.") || startsWith(t, "block_sparse_moe.gate."))
        return out = {layer + ".router", "router", L, -1, 3}, true;
    if (startsWith(t, "mlp.shared_expert")) return out = {layer + ".shared_expert", "base", L, -1, 2}, true;
    if (startsWith(t, "mlp.")) return out = {layer + ".mlp", "base", L, -1, 1}, true;
    if (startsWith(t, "self_attn.") || startsWith(t, "input_layernorm.") || startsWith(t, "post_attention_layernorm."))
        return out = {layer + ".attention", "base", L, -1, 0}, true;
    return false;
}

}  // namespace

Expected<std::vector<ComponentPlan>> planComponents(const engine::Checkpoint &ck)
{
    const engine::ModelConfig &c = ck.config();
    // key: (section, layer, order) -> component; section 0 embeddings, 1 layers, 2 final norm, 3 lm_head
    std::map<std::tuple<int, int, int>, ComponentPlan> byKey;
    for (const auto &file : ck.files()) {
        for (const auto &t : file->tensors()) {
            if (ck.find(t.name).entry != &t) continue;  // the index puts this tensor in another shard
            Slot s;
            if (!classify(t.name, c, s))
                return makeError(ErrorCode::InvalidArgument,
                                 ck.dir() + ": tensor '" + t.name + "' belongs to no component of a " + c.modelType +
                                     " model; this checkpoint has tensors Blyan does not know how to store");
            const int section = s.layer >= 0 ? 1 : s.name == "embed_tokens" ? 0 : s.name == "final_norm" ? 2 : 3;
            ComponentPlan &p = byKey[{section, s.layer, s.order}];
            p.name = s.name;
            p.kind = s.kind;
            p.layer = s.layer;
            p.expert = s.expert;
            p.tensors.push_back({&t});
            p.dataBytes += t.nbytes();
        }
    }
    std::vector<ComponentPlan> out;
    for (auto &[key, p] : byKey) {
        // The order the safetensors library writes: larger dtypes first (keeps every tensor aligned), then name.
        std::sort(p.tensors.begin(), p.tensors.end(), [](const ComponentTensor &a, const ComponentTensor &b) {
            const auto sa = engine::dtypeSize(a.entry->dtype), sb = engine::dtypeSize(b.entry->dtype);
            return sa != sb ? sa > sb : a.entry->name < b.entry->name;
        });
        out.push_back(std::move(p));
    }
    if (out.empty()) return makeError(ErrorCode::InvalidArgument, ck.dir() + ": the checkpoint has no tensors");
    return out;
}

}  // namespace blyan::model
