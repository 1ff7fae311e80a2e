#include "chain/amount.h"

namespace blyan::chain {

namespace {

Error overflow(std::string_view what, const char *op)
{
    return makeError(ErrorCode::InvalidArgument, std::string(what) + " " + op +
                                                     " is outside 0.." + formatAmount(UINT64_MAX) +
                                                     ": use smaller amounts");
}

Error badAmount(std::string_view text, const std::string &why)
{
    return makeError(ErrorCode::InvalidArgument, "invalid amount '" + std::string(text) + "': " + why +
                                                     " (write it like 12.345 or 12.345 BLY)");
}

}  // namespace

Expected<Amount> checkedAdd(Amount a, Amount b, std::string_view what)
{
    Amount r;
    if (__builtin_add_overflow(a, b, &r)) return overflow(what, "after the addition");
    return r;
}

Expected<Amount> checkedSub(Amount a, Amount b, std::string_view what)
{
    if (b > a)
        return makeError(ErrorCode::InvalidArgument, std::string(what) + " " + formatAmount(a) + " is less than the " +
                                                         formatAmount(b) + " to take from it");
    return a - b;
}

Expected<Amount> checkedMul(Amount a, std::uint64_t factor, std::string_view what)
{
    Amount r;
    if (__builtin_mul_overflow(a, factor, &r)) return overflow(what, "after the multiplication");
    return r;
}

Expected<Amount> parseAmount(std::string_view text)
{
    std::string_view s = text;
    if (s.ends_with(" BLY")) s.remove_suffix(4);
    if (s.empty()) return badAmount(text, "no digits");
    const std::size_t dot = s.find('.');
    const std::string_view whole = s.substr(0, dot);
    const std::string_view frac = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
    auto allDigits = [](std::string_view d) {
        for (char c : d)
            if (c < '0' || c > '9') return false;
        return true;
    };
    if (!allDigits(whole) || !allDigits(frac))
        return badAmount(text, "only digits, one '.' and an optional ' BLY' suffix are allowed (no sign, exponent "
                               "or spaces)");
    if (whole.empty()) return badAmount(text, "a digit is needed before the '.'");
    if (dot != std::string_view::npos && frac.empty()) return badAmount(text, "a digit is needed after the '.'");
    if (whole.size() > 1 && whole[0] == '0') return badAmount(text, "leading zeros are not allowed");
    if (frac.size() > static_cast<std::size_t>(kAmountDecimals))
        return badAmount(text, "at most 8 decimals (1 base unit = 0.00000001 BLY)");

    Amount units = 0;
    for (char c : whole) {
        if (__builtin_mul_overflow(units, 10u, &units) || __builtin_add_overflow(units, Amount(c - '0'), &units))
            return badAmount(text, "larger than the largest amount " + formatAmount(UINT64_MAX));
    }
    Amount fracUnits = 0;
    for (int i = 0; i < kAmountDecimals; ++i)
        fracUnits = fracUnits * 10 + (static_cast<std::size_t>(i) < frac.size() ? Amount(frac[i] - '0') : 0);
    Amount total;
    if (__builtin_mul_overflow(units, kCoin, &total) || __builtin_add_overflow(total, fracUnits, &total))
        return badAmount(text, "larger than the largest amount " + formatAmount(UINT64_MAX));
    return total;
}

std::string formatAmount(Amount a, bool withUnit)
{
    std::string out = std::to_string(a / kCoin);
    Amount frac = a % kCoin;
    if (frac != 0) {
        std::string digits = std::to_string(frac);
        digits.insert(0, kAmountDecimals - digits.size(), '0');
        while (digits.back() == '0') digits.pop_back();
        out += "." + digits;
    }
    if (withUnit) out += " BLY";
    return out;
}

}  // namespace blyan::chain
