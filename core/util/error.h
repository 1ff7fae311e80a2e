#pragma once
// Error handling for the whole node: functions that can fail on bad input return Expected<T>.
// An Error says what is wrong *and* what to do about it, because its message reaches users
// (CLI, RPC callers, dialogs) unchanged.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace blyan {

enum class ErrorCode {
    InvalidArgument,  // a caller passed something malformed (flag, RPC parameter, form field)
    Malformed,        // encoded bytes do not decode (truncated, overlong, trailing bytes...)
    LimitExceeded,    // a length or count is over its hard limit
    NotFound,
    AlreadyExists,
    Corrupt,          // stored data fails its integrity check
    Io,               // the operating system refused a file or socket operation
    Database,
    Crypto,
    Busy,             // the resource is held by someone else (data dir lock, port)
    Unauthorized,
    Unavailable,      // the feature or service cannot be used right now
    WalletLocked,     // the wallet must be unlocked first (RPC -13)
    WrongPassphrase,  // the wallet passphrase does not open the keystore (RPC -14)
    NoWallet,         // this data dir has no wallet yet (RPC -18)
    Internal,
};

const char *errorCodeName(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;

    Error() = default;
    Error(ErrorCode c, std::string m) : code(c), message(std::move(m)) {}

    // Prefix context while the error travels up: "reading block 12: truncated varint".
    Error context(const std::string &what) const { return Error(code, what + ": " + message); }
};

// Expected<T>: either a value or an Error. Small on purpose (std::expected is C++23).
template <typename T>
class [[nodiscard]] Expected {
public:
    Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    Expected(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { assert(ok()); return std::get<0>(v_); }
    const T &value() const & { assert(ok()); return std::get<0>(v_); }
    T &&value() && { assert(ok()); return std::get<0>(std::move(v_)); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

    const Error &error() const { assert(!ok()); return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Expected<void> {
public:
    Expected() = default;
    Expected(Error error) : err_(std::move(error)), failed_(true) {}
    bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    const Error &error() const { assert(failed_); return err_; }

private:
    Error err_;
    bool failed_ = false;
};

using Status = Expected<void>;

inline Error makeError(ErrorCode code, std::string message) { return Error(code, std::move(message)); }

}  // namespace blyan

// Propagate an error from an Expected expression, or bind its value.
//   BLYAN_TRY(auto n, reader.varint());
#define BLYAN_CONCAT_INNER(a, b) a##b
#define BLYAN_CONCAT(a, b) BLYAN_CONCAT_INNER(a, b)
#define BLYAN_TRY_IMPL(tmp, decl, expr)          \
    auto tmp = (expr);                           \
    if (!tmp.ok()) return tmp.error();           \
    decl = std::move(tmp).value()
#define BLYAN_TRY(decl, expr) BLYAN_TRY_IMPL(BLYAN_CONCAT(blyan_try_, __LINE__), decl, expr)
// For Expected<void> / Status.
#define BLYAN_CHECK(expr)                                         \
    do {                                                          \
        auto blyan_check_ = (expr);                               \
        if (!blyan_check_.ok()) return blyan_check_.error();      \
    } while (0)
