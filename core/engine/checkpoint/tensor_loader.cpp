#include "engine/checkpoint/tensor_loader.h"

#include "engine/util/error.h"

#include <ATen/ATen.h>

#include <cmath>
#include <limits>

namespace blyan::engine {

namespace {

std::string shapeText(at::IntArrayRef shape)
{
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i) s += ", ";
        s += std::to_string(shape[i]);
    }
    return s + "]";
}

[[noreturn]] void fail(const Checkpoint::Found &f, const std::string &what)
{
    throw EngineError(f.file->path() + ": tensor '" + f.entry->name + "': " + what);
}

// A CPU tensor viewing the entry's bytes in the mapping; the deleter holds the mapping.
at::Tensor viewOf(const Checkpoint::Found &f, at::ScalarType type)
{
    auto keep = f.file->mapping();
    void *p = const_cast<std::byte *>(f.entry->data);
    at::Tensor t = at::from_blob(p, f.entry->shape, [keep](void *) {}, at::TensorOptions().dtype(type));
    // Unaligned data (a header not padded to 8 bytes) is legal but slow or unsafe for vector kernels: copy it.
    if (reinterpret_cast<uintptr_t>(p) % at::elementSize(type) != 0) t = t.clone();
    return t;
}

at::Tensor dequantFp8(const Checkpoint &ck, const Checkpoint::Found &f)
{
    const auto &block = ck.config().fp8BlockSize;
    if (block.size() != 2) fail(f, "is F8_E4M3 but config.json has no quantization_config.weight_block_size");
    if (f.entry->shape.size() != 2) fail(f, "is F8_E4M3 but not a matrix");
    std::string scaleName(f.entry->name);
    scaleName += "_scale_inv";
    const auto s = ck.find(scaleName);
    if (!s.entry) fail(f, "is F8_E4M3 but its scale tensor '" + scaleName + "' is missing");
    const int64_t rows = f.entry->shape[0], cols = f.entry->shape[1];
    const int64_t br = (rows + block[0] - 1) / block[0], bc = (cols + block[1] - 1) / block[1];
    if (s.entry->shape != std::vector<int64_t>{br, bc})
        fail(s, "has shape " + shapeText(s.entry->shape) + " but the weight " + shapeText(f.entry->shape) +
                    " with blocks of " + std::to_string(block[0]) + "x" + std::to_string(block[1]) + " needs [" +
                    std::to_string(br) + ", " + std::to_string(bc) + "]");
    at::Tensor scale;
    switch (s.entry->dtype) {
    case DType::F32: scale = viewOf(s, at::kFloat); break;
    case DType::BF16: scale = viewOf(s, at::kBFloat16).to(at::kFloat); break;
    case DType::F16: scale = viewOf(s, at::kHalf).to(at::kFloat); break;
    default: fail(s, std::string("scale dtype ") + dtypeName(s.entry->dtype) + " is not supported");
    }
    static const at::Tensor lut = at::tensor(e4m3Table(), at::kFloat);
    at::Tensor codes = viewOf(f, at::kByte).to(at::kLong);
    at::Tensor w = lut.index_select(0, codes.flatten()).view({rows, cols});
    at::Tensor expanded = scale.repeat_interleave(block[0], 0).narrow(0, 0, rows).repeat_interleave(block[1], 1).narrow(1, 0, cols);
    return w * expanded;
}

}  // namespace

const std::vector<float> &e4m3Table()
{
    static const std::vector<float> table = [] {
        std::vector<float> t(256);
        for (int c = 0; c < 256; ++c) {
            const int sign = c >> 7, exp = (c >> 3) & 15, man = c & 7;
            float v;
            if (exp == 15 && man == 7) v = std::numeric_limits<float>::quiet_NaN();  // e4m3fn: no infinities
            else if (exp == 0) v = std::ldexp(static_cast<float>(man) / 8.0f, -6);
            else v = std::ldexp(1.0f + static_cast<float>(man) / 8.0f, exp - 7);
            t[static_cast<std::size_t>(c)] = sign ? -v : v;
        }
        return t;
    }();
    return table;
}

at::Tensor loadTensor(const Checkpoint &ck, std::string_view name, const std::vector<int64_t> &shape,
                      const TensorTarget &target)
{
    const auto f = ck.require(name);
    if (f.entry->shape != shape)
        fail(f, "has shape " + shapeText(f.entry->shape) + " but config.json implies " + shapeText(shape));
    at::Tensor t;
    switch (f.entry->dtype) {
    case DType::F32: t = viewOf(f, at::kFloat); break;
    case DType::F16: t = viewOf(f, at::kHalf); break;
    case DType::BF16: t = viewOf(f, at::kBFloat16); break;
    case DType::F64: t = viewOf(f, at::kDouble); break;
    case DType::F8_E4M3: t = dequantFp8(ck, f); break;
    default: fail(f, std::string("dtype ") + dtypeName(f.entry->dtype) + " is not supported for weights");
    }
    // Zero-copy only when nothing changes; .to() returns `t` itself in that case.
    return t.to(target.device, target.dtype);
}

}  // namespace blyan::engine
