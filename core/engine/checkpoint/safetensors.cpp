#include "engine/checkpoint/safetensors.h"

#include "engine/util/error.h"
#include "engine/util/json.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define BLYAN_HAVE_MMAP 1
#endif

namespace blyan::engine {

namespace {

struct DTypeInfo {
    DType d;
    const char *name;
    std::size_t size;
};
constexpr DTypeInfo kDTypes[] = {
    {DType::Bool, "BOOL", 1}, {DType::U8, "U8", 1},     {DType::I8, "I8", 1},       {DType::F8_E5M2, "F8_E5M2", 1},
    {DType::F8_E4M3, "F8_E4M3", 1}, {DType::I16, "I16", 2}, {DType::U16, "U16", 2}, {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2}, {DType::I32, "I32", 4},   {DType::U32, "U32", 4},     {DType::F32, "F32", 4},
    {DType::F64, "F64", 8},   {DType::I64, "I64", 8},   {DType::U64, "U64", 8},
};

[[noreturn]] void fail(const std::string &path, const std::string &what)
{
    throw EngineError(path + ": " + what);
}

std::string shapeText(const std::vector<int64_t> &shape)
{
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i) s += ", ";
        s += std::to_string(shape[i]);
    }
    return s + "]";
}

}  // namespace

bool parseDType(std::string_view name, DType &out)
{
    for (const auto &d : kDTypes)
        if (name == d.name) {
            out = d.d;
            return true;
        }
    return false;
}

const char *dtypeName(DType d)
{
    for (const auto &i : kDTypes)
        if (i.d == d) return i.name;
    return "?";
}

std::size_t dtypeSize(DType d)
{
    for (const auto &i : kDTypes)
        if (i.d == d) return i.size;
    return 0;
}

int64_t TensorEntry::numel() const
{
    int64_t n = 1;
    for (auto s : shape) n *= s;
    return n;
}

// ---- MappedFile -------------------------------------------------------------------------------

std::shared_ptr<MappedFile> MappedFile::open(const std::string &path)
{
    std::shared_ptr<MappedFile> f(new MappedFile());
    f->path_ = path;
#ifdef BLYAN_HAVE_MMAP
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(path, std::string("cannot open: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int e = errno;
        ::close(fd);
        fail(path, std::string("cannot stat: ") + std::strerror(e));
    }
    f->size_ = static_cast<std::size_t>(st.st_size);
    if (f->size_ > 0) {
        void *p = ::mmap(nullptr, f->size_, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            const int e = errno;
            ::close(fd);
            fail(path, std::string("cannot map: ") + std::strerror(e));
        }
        f->data_ = static_cast<const std::byte *>(p);
        f->mapped_ = true;
    }
    ::close(fd);  // the mapping stays valid without the descriptor
#else
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path, "cannot open");
    in.seekg(0, std::ios::end);
    f->buffer_.resize(static_cast<std::size_t>(in.tellg()));
    in.seekg(0);
    in.read(reinterpret_cast<char *>(f->buffer_.data()), static_cast<std::streamsize>(f->buffer_.size()));
    if (!in) fail(path, "cannot read");
    f->data_ = f->buffer_.data();
    f->size_ = f->buffer_.size();
#endif
    return f;
}

void MappedFile::willNeed() const
{
#ifdef BLYAN_HAVE_MMAP
    if (mapped_) ::madvise(const_cast<std::byte *>(data_), size_, MADV_WILLNEED);
#endif
}

MappedFile::~MappedFile()
{
#ifdef BLYAN_HAVE_MMAP
    if (mapped_) ::munmap(const_cast<std::byte *>(data_), size_);
#endif
}

// ---- SafetensorsFile --------------------------------------------------------------------------

std::shared_ptr<SafetensorsFile> SafetensorsFile::open(const std::string &path)
{
    auto st = std::make_shared<SafetensorsFile>();
    st->file_ = MappedFile::open(path);
    const std::size_t size = st->file_->size();
    if (size < 8) fail(path, "file is " + std::to_string(size) + " bytes, too short for a safetensors header");
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<uint8_t>(st->file_->data()[i]);
    if (n > kMaxHeaderBytes)
        fail(path, "header length " + std::to_string(n) + " exceeds the limit of " + std::to_string(kMaxHeaderBytes) +
                       " bytes (corrupt file or not safetensors)");
    if (n > size - 8)
        fail(path, "truncated: header length " + std::to_string(n) + " but the file has only " +
                       std::to_string(size - 8) + " bytes after the length field");
    const std::string_view headerText(reinterpret_cast<const char *>(st->file_->data() + 8), n);
    json::Value header;
    try {
        header = json::parse(headerText);
    } catch (const json::ParseError &e) {
        fail(path, std::string("header is not valid JSON: ") + e.what());
    }
    if (!header.isObject()) fail(path, "header is not a JSON object");

    const std::byte *dataBase = st->file_->data() + 8 + n;
    const uint64_t dataSize = size - 8 - n;
    for (const auto &m : header.members()) {
        if (m.key == "__metadata__") {
            if (!m.value.isObject()) fail(path, "__metadata__ is not an object");
            for (const auto &kv : m.value.members()) {
                if (!kv.value.isString()) fail(path, "__metadata__ value '" + kv.key + "' is not a string");
                st->metadata_[kv.key] = kv.value.asString();
            }
            continue;
        }
        const std::string where = "tensor '" + m.key + "'";
        if (!m.value.isObject()) fail(path, where + " is not described by an object");
        TensorEntry t;
        t.name = m.key;
        try {
            const auto &dt = m.value.at("dtype").asString();
            if (!parseDType(dt, t.dtype)) fail(path, where + " has unknown dtype '" + dt + "'");
            for (const auto &d : m.value.at("shape").asArray()) {
                const int64_t v = d.asInt64();
                if (v < 0) fail(path, where + " has a negative dimension");
                t.shape.push_back(v);
            }
            const auto &off = m.value.at("data_offsets").asArray();
            if (off.size() != 2) fail(path, where + ": data_offsets must be [begin, end]");
            t.begin = off[0].asUint64();
            t.end = off[1].asUint64();
        } catch (const EngineError &) {
            throw;
        } catch (const std::exception &e) {
            fail(path, where + ": " + e.what());
        }
        // Element count x size without overflow.
        uint64_t bytes = dtypeSize(t.dtype);
        for (auto d : t.shape) {
            if (d != 0 && bytes > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(d))
                fail(path, where + " has an impossibly large shape " + shapeText(t.shape));
            bytes *= static_cast<uint64_t>(d);
        }
        if (t.end < t.begin) fail(path, where + " has data_offsets with end before begin");
        if (t.end - t.begin != bytes)
            fail(path, where + ": data_offsets [" + std::to_string(t.begin) + ", " + std::to_string(t.end) + "] hold " +
                           std::to_string(t.end - t.begin) + " bytes but shape " + shapeText(t.shape) + " of " +
                           dtypeName(t.dtype) + " needs " + std::to_string(bytes));
        if (t.end > dataSize)
            fail(path, "truncated or lying header: " + where + " ends at byte " + std::to_string(t.end) +
                           " of the data buffer, which has only " + std::to_string(dataSize) + " bytes");
        t.data = dataBase + t.begin;
        st->tensors_.push_back(std::move(t));
    }

    // The tensors must tile the data buffer: sorted by offset, each starts where the previous ended.
    std::vector<const TensorEntry *> byOffset;
    for (const auto &t : st->tensors_) byOffset.push_back(&t);
    std::sort(byOffset.begin(), byOffset.end(), [](auto *a, auto *b) {
        return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
    });
    uint64_t expected = 0;
    const TensorEntry *prev = nullptr;
    for (const auto *t : byOffset) {
        if (t->begin < expected)
            fail(path, "tensor '" + t->name + "' overlaps tensor '" + prev->name + "' in the data buffer");
        if (t->begin > expected)
            fail(path, "gap of " + std::to_string(t->begin - expected) + " bytes before tensor '" + t->name +
                           "' in the data buffer");
        expected = t->end;
        prev = t;
    }
    if (expected != dataSize)
        fail(path, std::to_string(dataSize - expected) + " bytes after the last tensor are not described by the header");

    for (std::size_t i = 0; i < st->tensors_.size(); ++i) st->index_.emplace(st->tensors_[i].name, i);
    return st;
}

const TensorEntry *SafetensorsFile::find(std::string_view name) const
{
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &tensors_[it->second];
}

}  // namespace blyan::engine
