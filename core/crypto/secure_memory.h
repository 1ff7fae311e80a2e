#pragma once
// Memory for secrets (private keys, seeds, session keys, decrypted wallet data).
//
// SecureBytes lives in libsodium's guarded heap: the pages are mlock'ed (never swapped to disk),
// surrounded by guard pages (an overrun faults instead of leaking into a neighbour), and wiped on
// free. It is move-only so that a secret has exactly one owner and is never silently copied.
// Nothing here prints its contents; there is deliberately no toHex() for secrets.

#include "util/bytes.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace blyan::crypto {

// Wipes memory in a way the optimiser cannot remove (unlike memset before free).
void secureZero(void *data, std::size_t size);
inline void secureZero(std::span<std::uint8_t> bytes) { secureZero(bytes.data(), bytes.size()); }

class SecureBytes {
public:
    SecureBytes() noexcept = default;
    // size zeroed bytes; throws std::bad_alloc when the guarded heap is exhausted.
    explicit SecureBytes(std::size_t size);
    static SecureBytes copyOf(ByteView bytes);

    ~SecureBytes();
    SecureBytes(SecureBytes &&other) noexcept;
    SecureBytes &operator=(SecureBytes &&other) noexcept;
    SecureBytes(const SecureBytes &) = delete;
    SecureBytes &operator=(const SecureBytes &) = delete;

    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    std::uint8_t *data() noexcept { return ptr_; }
    const std::uint8_t *data() const noexcept { return ptr_; }
    std::span<std::uint8_t> span() noexcept { return {ptr_, size_}; }
    ByteView view() const noexcept { return {ptr_, size_}; }

    // Constant-time for equal sizes (sodium_memcmp), so comparing a MAC or key leaks no prefix
    // length through timing. Different sizes compare unequal at once: lengths are not secret.
    bool equals(ByteView other) const;
    bool equals(const SecureBytes &other) const { return equals(other.view()); }

    // Frees (and wipes) now rather than at scope end.
    void reset() noexcept;

private:
    std::uint8_t *ptr_ = nullptr;
    std::size_t size_ = 0;
};

// Cryptographically secure random bytes (randombytes_buf: the OS CSPRNG).
Bytes randomBytes(std::size_t size);
void randomFill(std::span<std::uint8_t> out);
SecureBytes randomSecureBytes(std::size_t size);

}  // namespace blyan::crypto
