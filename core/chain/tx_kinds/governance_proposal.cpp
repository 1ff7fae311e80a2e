#include "chain/tx_kinds/governance_proposal.h"

#include "chain/field.h"

namespace blyan::chain {

namespace {

// Control characters would let a title or text hide or rewrite what a voter sees (terminal escapes,
// carriage returns over a line); only newline and tab are allowed, and in the text only.
Status checkText(const std::string &s, const char *field, std::size_t max, bool multiline)
{
    if (s.empty()) return detail::fieldError(ErrorCode::InvalidArgument, field, "must not be empty");
    if (s.size() > max)
        return detail::fieldError(ErrorCode::InvalidArgument, field,
                                  std::to_string(s.size()) + " bytes; at most " + std::to_string(max));
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        const bool allowed = multiline && (c == '\n' || c == '\t');
        if ((c < 0x20 || c == 0x7f) && !allowed)
            return detail::fieldError(ErrorCode::InvalidArgument, field,
                                      "control character 0x" + std::string(1, "0123456789abcdef"[c >> 4]) +
                                          std::string(1, "0123456789abcdef"[c & 15]) + " at byte " + std::to_string(i) +
                                          (multiline ? " (only newlines and tabs are allowed)" : ""));
    }
    const auto space = [](char c) { return c == ' ' || c == '\n' || c == '\t'; };
    if (space(s.front()) || space(s.back()))
        return detail::fieldError(ErrorCode::InvalidArgument, field, "must not start or end with white space");
    return {};
}

}  // namespace

Bytes GovernanceProposalBody::encode() const
{
    Writer w;
    action.encode(w);
    w.string(title);
    w.string(text);
    w.varint(deposit);
    return w.take();
}

Expected<GovernanceProposalBody> GovernanceProposalBody::decode(ByteView body)
{
    Reader r(body);
    GovernanceProposalBody b;
    BLYAN_TRY(b.action, ProposalAction::decode(r));
    BLYAN_TRY(b.title, detail::field(r.string(kMaxProposalTitle, "title"), "proposal.title"));
    BLYAN_TRY(b.text, detail::field(r.string(kMaxProposalText, "text"), "proposal.text"));
    BLYAN_TRY(b.deposit, detail::field(r.varint(), "proposal.deposit"));
    BLYAN_CHECK(r.finish());
    return b;
}

Status GovernanceProposalBody::check(const Transaction &) const
{
    BLYAN_CHECK(action.check());
    BLYAN_CHECK(checkText(title, "proposal.title", kMaxProposalTitle, false));
    BLYAN_CHECK(checkText(text, "proposal.text", kMaxProposalText, true));
    if (deposit == 0) return detail::fieldError(ErrorCode::InvalidArgument, "proposal.deposit", "must be more than 0 BLY");
    return {};
}

const TxKindHandler &governanceProposalHandler()
{
    static const BodyHandler<GovernanceProposalBody> handler;
    return handler;
}

}  // namespace blyan::chain
