#pragma once
// BLY amounts (DESIGN.md sections 4 and 6): u64 base units, 1 BLY = 10^8 units.
//
// Arithmetic on amounts is always checked: an overflow or underflow is an Error, never a wrap, because a
// wrapped balance is a forged balance. The text form ("12.345 BLY") is parsed strictly so that what a
// user typed is exactly what gets signed.

#include "util/error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace blyan::chain {

using Amount = std::uint64_t;

inline constexpr Amount kCoin = 100'000'000;  // base units per BLY
inline constexpr int kAmountDecimals = 8;

// `what` names the quantity in the error ("balance of dbly1...", "fee"), so the caller learns which one.
Expected<Amount> checkedAdd(Amount a, Amount b, std::string_view what = "amount");
Expected<Amount> checkedSub(Amount a, Amount b, std::string_view what = "amount");
Expected<Amount> checkedMul(Amount a, std::uint64_t factor, std::string_view what = "amount");

// Accepts "12", "12.345", "0.00000001" with an optional " BLY" suffix (one space, upper case).
// Rejects: empty input, signs, exponents, other whitespace, a bare or trailing '.', more than 8
// decimals, leading zeros ("007"), other units, and anything above 2^64-1 base units.
Expected<Amount> parseAmount(std::string_view text);

// "12.345 BLY": no trailing zeros, "0 BLY" for zero. parseAmount(formatAmount(a)) == a.
std::string formatAmount(Amount a, bool withUnit = true);

}  // namespace blyan::chain
