#pragma once
// The stateful half of each transaction kind: one small handler per kind in state_<kind>.cpp, listed
// in state_registry.cpp. Adding a kind means one new file and one line there; no other kind changes.
//
// Before a handler runs, the ledger has checked for every kind: network id, signature (stateless),
// nonce == the sender's next nonce, balance >= fee; and it has already debited the fee and bumped the
// nonce in the State (so the sender's balance a handler reads is net of the fee; messages add the fee
// back so users see the balance they know). If the handler fails, the whole overlay is discarded
// (block rejected, or a mempool check that never writes). A handler reads and writes through
// the State overlay only, and reports a rejection as an Error whose message states the reason alone
// (the ledger prefixes the transaction id and index).

#include "chain/transaction.h"
#include "ledger/governance/engine.h"
#include "ledger/state.h"

#include <functional>

namespace blyan::ledger {

// Whether an object's payload is present locally and matches its record (hash, size, Merkle root).
// Supplied by the node (object store); an Error names what is missing.
using PayloadCheck = std::function<Status(const chain::ObjectRecord &)>;

struct TxContext {
    State &state;
    const chain::Transaction &tx;
    std::uint64_t height = 0;           // of the block being applied
    const PayloadCheck &payloadAvailable;
    const std::function<std::string(const PublicKey &)> &address;  // for messages: "dbly1..."
    Network network = Network::Devnet;
    const LiveParams &params;  // the parameters as governance left them (fee burn, deposit...)
    const GovernanceConfig &governance;
};

class TxStateHandler {
public:
    virtual ~TxStateHandler() = default;
    virtual chain::TxKind kind() const = 0;
    // Applies the kind's effect on the State (everything but fee and nonce).
    virtual Status apply(TxContext &ctx) const = 0;
};

// Takes `amount` (besides the fee, already debited) from the sender's balance, or fails with the
// balance the user knows: "balance X of dbly1... is less than <what> + fee Y". Shared by every kind
// that spends from the balance.
Status debitSender(TxContext &ctx, Amount amount, const char *what);

// nullptr for a kind with no state handler (such a transaction is rejected).
const TxStateHandler *findStateHandler(std::uint8_t kind);

const TxStateHandler &transferStateHandler();
const TxStateHandler &stakeStateHandler();
const TxStateHandler &unstakeStateHandler();
const TxStateHandler &publishObjectStateHandler();
const TxStateHandler &slashEvidenceStateHandler();
const TxStateHandler &governanceProposalStateHandler();
const TxStateHandler &governanceVoteStateHandler();

}  // namespace blyan::ledger
