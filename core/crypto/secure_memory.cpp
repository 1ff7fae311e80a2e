#include "crypto/secure_memory.h"

#include "crypto/hash.h"

#include <sodium.h>

#include <cstring>
#include <new>
#include <utility>

namespace blyan::crypto {

void secureZero(void *data, std::size_t size)
{
    if (data != nullptr && size != 0) sodium_memzero(data, size);
}

SecureBytes::SecureBytes(std::size_t size)
{
    if (size == 0) return;
    ensureSodium();  // sodium_malloc needs the page size that sodium_init computes
    ptr_ = static_cast<std::uint8_t *>(sodium_malloc(size));
    if (ptr_ == nullptr) throw std::bad_alloc();
    size_ = size;
    // sodium_malloc fills new memory with a canary pattern; callers expect zeros.
    sodium_memzero(ptr_, size_);
}

SecureBytes SecureBytes::copyOf(ByteView bytes)
{
    SecureBytes out(bytes.size());
    if (!bytes.empty()) std::memcpy(out.ptr_, bytes.data(), bytes.size());
    return out;
}

SecureBytes::~SecureBytes() { reset(); }

SecureBytes::SecureBytes(SecureBytes &&other) noexcept
    : ptr_(std::exchange(other.ptr_, nullptr)), size_(std::exchange(other.size_, 0))
{
}

SecureBytes &SecureBytes::operator=(SecureBytes &&other) noexcept
{
    if (this != &other) {
        reset();
        ptr_ = std::exchange(other.ptr_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

void SecureBytes::reset() noexcept
{
    if (ptr_ != nullptr) sodium_free(ptr_);  // sodium_free wipes before unmapping
    ptr_ = nullptr;
    size_ = 0;
}

bool SecureBytes::equals(ByteView other) const
{
    if (other.size() != size_) return false;
    if (size_ == 0) return true;
    return sodium_memcmp(ptr_, other.data(), size_) == 0;
}

Bytes randomBytes(std::size_t size)
{
    Bytes out(size);
    randomFill(out);
    return out;
}

void randomFill(std::span<std::uint8_t> out)
{
    if (out.empty()) return;
    ensureSodium();
    randombytes_buf(out.data(), out.size());
}

SecureBytes randomSecureBytes(std::size_t size)
{
    SecureBytes out(size);
    randomFill(out.span());
    return out;
}

}  // namespace blyan::crypto
