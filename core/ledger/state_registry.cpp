// The list of state handlers, one line per kind (see state_handler.h).
#include "ledger/state_handler.h"

#include <array>

namespace blyan::ledger {

const TxStateHandler *findStateHandler(std::uint8_t kind)
{
    static const std::array<const TxStateHandler *, 7> handlers = {
        &transferStateHandler(),
        &stakeStateHandler(),
        &unstakeStateHandler(),
        &publishObjectStateHandler(),
        &slashEvidenceStateHandler(),
        &governanceProposalStateHandler(),
        &governanceVoteStateHandler(),
    };
    for (const TxStateHandler *h : handlers)
        if (static_cast<std::uint8_t>(h->kind()) == kind) return h;
    return nullptr;
}

}  // namespace blyan::ledger
