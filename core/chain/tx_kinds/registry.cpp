// The list of transaction kinds this node understands: the one place a new kind is registered
// (tx_kind.h explains the steps). Indexed by kind number, so lookup is one array access.

#include "chain/tx_kind.h"
#include "chain/tx_kinds/governance_proposal.h"
#include "chain/tx_kinds/governance_vote.h"
#include "chain/tx_kinds/publish_object.h"
#include "chain/tx_kinds/slash_evidence.h"
#include "chain/tx_kinds/stake.h"
#include "chain/tx_kinds/transfer.h"
#include "chain/tx_kinds/unstake.h"

#include <QtGlobal>

#include <array>

namespace blyan::chain {

namespace {

std::array<const TxKindHandler *, 256> buildTable()
{
    std::array<const TxKindHandler *, 256> table{};
    for (const TxKindHandler *h : {&transferHandler(), &stakeHandler(), &unstakeHandler(), &publishObjectHandler(),
                                    &slashEvidenceHandler(), &governanceProposalHandler(), &governanceVoteHandler()}) {
        const auto n = static_cast<std::uint8_t>(h->kind());
        // Keeps every encoding of every kind within kMaxTxSize (checkTransaction relies on it).
        if (h->maxBodySize() > kMaxTxBodySize)
            qFatal("transaction kind %s allows %zu body bytes, over kMaxTxBodySize", h->name(), h->maxBodySize());
        if (table[n]) qFatal("transaction kind %u registered twice (%s and %s)", n, table[n]->name(), h->name());
        table[n] = h;
    }
    return table;
}

}  // namespace

const TxKindHandler *findTxKind(std::uint8_t kind)
{
    static const std::array<const TxKindHandler *, 256> table = buildTable();
    return table[kind];
}

}  // namespace blyan::chain
