#include "util/error.h"

namespace blyan {

const char *errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return "invalid-argument";
    case ErrorCode::Malformed: return "malformed";
    case ErrorCode::LimitExceeded: return "limit-exceeded";
    case ErrorCode::NotFound: return "not-found";
    case ErrorCode::AlreadyExists: return "already-exists";
    case ErrorCode::Corrupt: return "corrupt";
    case ErrorCode::Io: return "io";
    case ErrorCode::Database: return "database";
    case ErrorCode::Crypto: return "crypto";
    case ErrorCode::Busy: return "busy";
    case ErrorCode::Unauthorized: return "unauthorized";
    case ErrorCode::Unavailable: return "unavailable";
    case ErrorCode::WalletLocked: return "wallet locked";
    case ErrorCode::WrongPassphrase: return "wrong passphrase";
    case ErrorCode::NoWallet: return "no wallet";
    case ErrorCode::Internal: return "internal";
    }
    return "unknown";
}

}  // namespace blyan
