#pragma once
// blyan: payment URIs, after BIP-21:  blyan:<address>?amount=12.5&label=Alice&message=Invoice%2042
//
// A URI comes from a web page, a QR code or another program and ends up pre-filling a send form, so it is
// parsed strictly: one wrong character must be an error, never a different payment. Rules:
//  - scheme "blyan" in any case, then the address directly (no "//"), no fragment;
//  - the address is checked for this node's network (checksum, network, valid key) and kept in canonical form;
//  - amount is decimal BLY ("12.5", up to 8 decimals, no unit, no exponent), greater than zero;
//  - values are percent-decoded ("+" stays "+", as RFC 3986 says) and must be valid UTF-8; label and message
//    may not hold control or bidirectional-override characters (they could disguise what the user reads);
//  - a parameter given twice is refused (which one would be meant?);
//  - an unknown "req-" parameter is refused (BIP-21: the payer must understand it), other unknown ones ignored.

#include "chain/amount.h"
#include "util/error.h"
#include "util/network.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace blyan::wallet {

inline constexpr std::size_t kMaxPaymentUriLength = 4096;  // more than any QR code holds
inline constexpr std::size_t kMaxPaymentLabelBytes = 256;
inline constexpr std::size_t kMaxPaymentMessageBytes = 1024;

struct PaymentRequest {
    std::string address;                  // canonical form (lower case) of an address of the network
    std::optional<chain::Amount> amount;  // base units; absent: the payer chooses
    std::string label;                    // who asks to be paid (UTF-8); empty when absent
    std::string message;                  // what the payment is for (UTF-8); empty when absent

    bool operator==(const PaymentRequest &) const = default;
};

Expected<PaymentRequest> parsePaymentUri(std::string_view uri, Network network);

// "blyan:<address>[?amount=..][&label=..][&message=..]", every byte outside RFC 3986's unreserved set
// percent-encoded, the address in canonical form. Checks what parsePaymentUri checks, so
// parsePaymentUri(formatPaymentUri(r)) == r for every r with a canonical address.
Expected<std::string> formatPaymentUri(const PaymentRequest &request, Network network);

}  // namespace blyan::wallet
