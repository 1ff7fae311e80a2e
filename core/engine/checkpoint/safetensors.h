#pragma once
// Reading safetensors files (https://github.com/huggingface/safetensors, format section): an 8-byte
// little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets}, "__metadata__": {..}},
// then the data buffer. The file is memory-mapped and tensors are views into the mapping, so loading a
// checkpoint whose dtype is already the compute dtype copies nothing. Plain C++ (no LibTorch).
//
// The header is validated as strictly as the reference implementation does, so a file that lies cannot make
// us read outside the mapping: known dtype, non-negative shape, data_offsets matching shape x dtype size, and
// tensors tiling the data buffer exactly (no overlap, no gap, nothing past the end). Every error names the
// file and the tensor.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace blyan::engine {

enum class DType { Bool, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64 };

// "BF16" <-> DType; parseDType returns false for names safetensors does not define.
bool parseDType(std::string_view name, DType &out);
const char *dtypeName(DType d);
std::size_t dtypeSize(DType d);

// A read-only mapping of a whole file, kept alive by every tensor that views it.
class MappedFile {
public:
    static std::shared_ptr<MappedFile> open(const std::string &path);
    ~MappedFile();
    MappedFile(const MappedFile &) = delete;
    MappedFile &operator=(const MappedFile &) = delete;

    const std::byte *data() const { return data_; }
    std::size_t size() const { return size_; }
    const std::string &path() const { return path_; }
    // Asks the OS to read the whole mapping ahead (one large asynchronous read instead of a page fault
    // per 4 KiB page when the bytes are first touched): a cold expert load then runs at the disk's
    // sequential rate. No effect without mmap.
    void willNeed() const;

private:
    MappedFile() = default;
    std::string path_;
    const std::byte *data_ = nullptr;
    std::size_t size_ = 0;
    bool mapped_ = false;              // mmap'ed (POSIX) rather than read into buffer_
    std::vector<std::byte> buffer_;    // fallback where mmap is unavailable
};

struct TensorEntry {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    uint64_t begin = 0, end = 0;       // offsets in the data buffer
    const std::byte *data = nullptr;   // into the mapping
    int64_t numel() const;
    uint64_t nbytes() const { return end - begin; }
};

class SafetensorsFile {
public:
    // Largest header we accept (the reference implementation's limit): a bigger one is an attack or corruption.
    static constexpr uint64_t kMaxHeaderBytes = 100'000'000;

    // Throws EngineError ("model.safetensors: tensor 'x': data_offsets [0, 10] hold 10 bytes but shape
    // [2, 3] of F32 needs 24").
    static std::shared_ptr<SafetensorsFile> open(const std::string &path);

    const std::string &path() const { return file_->path(); }
    const std::vector<TensorEntry> &tensors() const { return tensors_; }
    const TensorEntry *find(std::string_view name) const;
    const std::map<std::string, std::string> &metadata() const { return metadata_; }
    const std::shared_ptr<MappedFile> &mapping() const { return file_; }

private:
    std::shared_ptr<MappedFile> file_;
    std::vector<TensorEntry> tensors_;
    std::map<std::string, std::size_t, std::less<>> index_;
    std::map<std::string, std::string> metadata_;
};

}  // namespace blyan::engine
