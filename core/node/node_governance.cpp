#include "node/node_governance.h"

#include "chain/address.h"
#include "ledger/governance/engine.h"
#include "ledger/governance/queries.h"
#include "ledger/governance/store.h"
#include "node/node_chain.h"

#include <QJsonArray>

#include <map>

namespace blyan::node::governance {

namespace {

__extension__ typedef unsigned __int128 u128;

QString hex(const crypto::Hash256 &h) { return QString::fromStdString(crypto::hashToHex(h)); }
QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }
QJsonValue num(std::uint64_t v) { return QJsonValue(static_cast<qint64>(v)); }
QJsonObject amountJson(chain::Amount a)
{
    return QJsonObject{{QStringLiteral("bly"), qs(chain::formatAmount(a))}, {QStringLiteral("units"), QString::number(a)}};
}
Error bad(const std::string &m) { return Error(ErrorCode::InvalidArgument, m); }

// A share in percent with two decimals (for bars and labels; the ledger decides with integers).
double percent(u128 part, u128 whole)
{
    if (whole == 0) return 0;
    return static_cast<double>(part * 10000 / whole) / 100.0;
}

const ledger::LedgerOptions &options(NodeChain &c) { return c.ledger().options(); }

QJsonObject objectRef(NodeChain &c, const chain::ObjectId &id)
{
    QJsonObject o{{QStringLiteral("id"), hex(id)}};
    if (auto stored = c.ledger().object(id); stored.ok() && *stored) {
        o.insert(QStringLiteral("name"), qs((*stored)->record.name));
        o.insert(QStringLiteral("kind"), qs((*stored)->record.kind));
        o.insert(QStringLiteral("chain"), QString(QLatin1Char(chain::objectChainLetter((*stored)->record.chain))));
        o.insert(QStringLiteral("published_height"), num((*stored)->publishedHeight));
    }
    return o;
}

Expected<QJsonObject> actionJson(NodeChain &c, const chain::ProposalAction &a)
{
    QJsonObject o{{QStringLiteral("kind"), qs(chain::proposalKindName(a.kind))}};
    switch (a.kind) {
    case chain::ProposalKind::Signal: break;
    case chain::ProposalKind::ParameterChange: {
        const chain::GovParamInfo *info = chain::findGovParam(a.param);
        ledger::State state(c.database());  // never flushed
        BLYAN_TRY(const auto values, ledger::paramValues(state, c.network(), options(c).params, options(c).governance));
        for (const auto &v : values) {
            if (v.info != info) continue;
            o.insert(QStringLiteral("current"), num(v.value));
            o.insert(QStringLiteral("default"), num(v.defaultValue));
        }
        o.insert(QStringLiteral("param"), info ? QString::fromLatin1(info->name) : QString::number(a.param));
        o.insert(QStringLiteral("unit"), info ? QString::fromLatin1(info->unit) : QString());
        o.insert(QStringLiteral("value"), num(a.value));
        break;
    }
    case chain::ProposalKind::DatasetApproval: {
        o.insert(QStringLiteral("object"), objectRef(c, a.object));
        o.insert(QStringLiteral("tier"), a.tier);
        const ledger::DatasetTier *t = options(c).governance.tier(a.tier);
        o.insert(QStringLiteral("tier_name"), t ? QString::fromStdString(t->name) : QStringLiteral("withdraw approval"));
        break;
    }
    case chain::ProposalKind::ModelSpecUpgrade:
    case chain::ProposalKind::PactAmendment: {
        o.insert(QStringLiteral("object"), objectRef(c, a.object));
        const std::string head(a.kind == chain::ProposalKind::PactAmendment ? chain::kPactHeadName : chain::kModelSpecHeadName);
        o.insert(QStringLiteral("head_name"), QString::fromStdString(head));
        BLYAN_TRY(const auto current, c.ledger().head(head));
        o.insert(QStringLiteral("current_head"), current ? QJsonValue(objectRef(c, *current)) : QJsonValue());
        break;
    }
    case chain::ProposalKind::TreasurySpend:
        o.insert(QStringLiteral("to"), qs(chain::formatAddress(c.network(), a.to)));
        o.insert(QStringLiteral("amount"), amountJson(a.amount));
        break;
    }
    return o;
}

std::uint64_t parseHeightText(const QString &s, bool *ok)
{
    QString t = s.trimmed();
    if (t.startsWith(QLatin1Char('#'))) t = t.mid(1);
    return t.toULongLong(ok);
}

}  // namespace

Expected<std::pair<crypto::Hash256, ledger::ProposalRow>> findProposal(NodeChain &c, const QString &which)
{
    const QString t = which.trimmed();
    bool isNumber = false;
    const std::uint64_t n = parseHeightText(t, &isNumber);
    if (isNumber && t.size() < 20) {
        BLYAN_TRY(const auto e, ledger::governance::proposalByNumber(c.database(), n));
        if (!e) return makeError(ErrorCode::NotFound, "there is no proposal #" + std::to_string(n) + " (listproposals shows them)");
        return std::make_pair(e->id, e->row);
    }
    auto id = crypto::hashFromHex(t.toStdString());
    if (!id) return bad("'" + t.toStdString() + "' is neither a proposal number (#12) nor a proposal id (64 hex digits)");
    BLYAN_TRY(const auto row, ledger::store::readProposal(c.database(), *id));
    if (!row) return makeError(ErrorCode::NotFound, "there is no proposal " + t.toStdString() + " (listproposals shows them)");
    return std::make_pair(*id, *row);
}

Expected<QJsonObject> proposalJson(NodeChain &c, const crypto::Hash256 &id, const ledger::ProposalRow &p)
{
    BLYAN_TRY(const auto stored, c.ledger().transaction(id));
    if (!stored) return makeError(ErrorCode::Corrupt, "proposal " + crypto::hashToHex(id) + " has no transaction in the history");
    BLYAN_TRY(const auto body, chain::transactionBody<chain::GovernanceProposalBody>(stored->tx));
    const ledger::GovernanceConfig &config = options(c).governance;
    const ledger::KindRule &rule = config.rule(p.action.kind);
    const ledger::TallyResult t = ledger::tally(p, config);
    const std::uint64_t tip = c.height();
    const bool voting = p.status == ledger::ProposalStatus::Voting;
    // Voting runs through the block before end_height; the next block is tip + 1.
    const std::uint64_t blocksLeft = voting && p.endHeight > tip ? p.endHeight - tip : 0;
    const u128 cast = u128(p.yes) + p.no + p.abstain + p.veto;
    const u128 decisive = u128(p.yes) + p.no + p.veto;
    QString outlook = QString::fromLatin1(!t.quorum ? "no_quorum" : t.vetoed ? "vetoed" : t.passes ? "passes" : "rejected");
    BLYAN_TRY(const QJsonObject action, actionJson(c, p.action));
    return QJsonObject{
        {QStringLiteral("id"), hex(id)},
        {QStringLiteral("number"), num(p.number)},
        {QStringLiteral("kind"), qs(chain::proposalKindName(p.action.kind))},
        {QStringLiteral("title"), QString::fromStdString(body.title)},
        {QStringLiteral("action"), action},
        {QStringLiteral("status"), QString::fromLatin1(ledger::proposalStatusName(p.status))},
        {QStringLiteral("proposer"), qs(chain::formatAddress(c.network(), p.proposer))},
        {QStringLiteral("deposit"), amountJson(body.deposit)},
        {QStringLiteral("deposit_held"), amountJson(p.deposit)},
        {QStringLiteral("created_height"), num(p.createdHeight)},
        {QStringLiteral("snapshot_height"), num(p.snapshotHeight)},
        {QStringLiteral("end_height"), num(p.endHeight)},
        {QStringLiteral("closed_height"), p.closedHeight ? num(p.closedHeight) : QJsonValue()},
        {QStringLiteral("blocks_left"), num(blocksLeft)},
        // At least this long: a block per slot at most (a devnet makes blocks only when there is work).
        {QStringLiteral("seconds_left"), num(blocksLeft * static_cast<std::uint64_t>(networkParams(c.network()).slotMs) / 1000)},
        {QStringLiteral("total_stake"), amountJson(p.totalStake)},
        {QStringLiteral("tally"), QJsonObject{{QStringLiteral("yes"), amountJson(p.yes)},
                                              {QStringLiteral("no"), amountJson(p.no)},
                                              {QStringLiteral("abstain"), amountJson(p.abstain)},
                                              {QStringLiteral("veto"), amountJson(p.veto)}}},
        {QStringLiteral("turnout_percent"), percent(cast, p.totalStake)},
        {QStringLiteral("yes_percent"), percent(p.yes, decisive)},
        {QStringLiteral("veto_percent_of_votes"), percent(p.veto, cast)},
        {QStringLiteral("quorum_percent"), static_cast<int>(rule.quorumPercent)},
        {QStringLiteral("threshold_percent"), static_cast<int>(rule.thresholdPercent)},
        {QStringLiteral("veto_percent"), static_cast<int>(config.vetoPercent)},
        {QStringLiteral("quorum_reached"), t.quorum},
        {QStringLiteral("outlook"), outlook},
    };
}

Expected<QJsonValue> info(NodeChain &c)
{
    ledger::State state(c.database());  // never flushed
    const ledger::GovernanceConfig &config = options(c).governance;
    BLYAN_TRY(const auto values, ledger::paramValues(state, c.network(), options(c).params, config));
    BLYAN_TRY(const auto live, ledger::liveParams(state, c.network(), options(c).params, config));
    QJsonArray params;
    for (const auto &v : values)
        params.append(QJsonObject{{QStringLiteral("name"), QString::fromLatin1(v.info->name)},
                                  {QStringLiteral("id"), static_cast<int>(v.info->id)},
                                  {QStringLiteral("unit"), QString::fromLatin1(v.info->unit)},
                                  {QStringLiteral("value"), num(v.value)},
                                  {QStringLiteral("default"), num(v.defaultValue)},
                                  {QStringLiteral("changed"), v.changed},
                                  {QStringLiteral("min"), num(v.info->min)},
                                  {QStringLiteral("max"), num(v.info->max)},
                                  {QStringLiteral("description"), QString::fromLatin1(v.info->what)}});
    QJsonArray kinds;
    const auto slotMs = static_cast<std::uint64_t>(networkParams(c.network()).slotMs);
    for (std::uint8_t k = 1; k <= chain::kProposalKindCount; ++k) {
        const auto kind = static_cast<chain::ProposalKind>(k);
        const std::uint64_t blocks = config.votingBlocks(c.network(), kind);
        kinds.append(QJsonObject{{QStringLiteral("kind"), qs(chain::proposalKindName(kind))},
                                 {QStringLiteral("quorum_percent"), static_cast<int>(config.rule(kind).quorumPercent)},
                                 {QStringLiteral("threshold_percent"), static_cast<int>(config.rule(kind).thresholdPercent)},
                                 {QStringLiteral("voting_blocks"), num(blocks)},
                                 {QStringLiteral("voting_seconds"), num(blocks * slotMs / 1000)}});
    }
    QJsonArray tiers;
    for (const auto &t : config.tiers)
        tiers.append(QJsonObject{{QStringLiteral("tier"), t.tier},
                                 {QStringLiteral("name"), QString::fromStdString(t.name)},
                                 {QStringLiteral("quality_permille"), static_cast<int>(t.qualityPermille)},
                                 {QStringLiteral("description"), QString::fromStdString(t.description)}});
    QJsonArray datasets;
    BLYAN_TRY(const auto approvals, ledger::governance::datasetApprovals(c.database(), 100));
    for (const auto &[id, a] : approvals) {
        QJsonObject o = objectRef(c, id);
        o.insert(QStringLiteral("tier"), a.tier);
        o.insert(QStringLiteral("approved_height"), num(a.height));
        o.insert(QStringLiteral("proposal"), hex(a.proposal));
        datasets.append(o);
    }
    BLYAN_TRY(const std::uint64_t total, ledger::store::countProposals(c.database()));
    BLYAN_TRY(const auto open, ledger::store::readOpenProposals(c.database()));
    BLYAN_TRY(const chain::Amount staked, ledger::store::sumStakes(c.database()));
    return QJsonValue(QJsonObject{
        {QStringLiteral("network"), networkName(c.network())},
        {QStringLiteral("height"), num(c.height())},
        {QStringLiteral("slot_ms"), static_cast<int>(slotMs)},
        {QStringLiteral("total_stake"), amountJson(staked)},
        {QStringLiteral("proposal_deposit"), amountJson(live.proposalDeposit)},
        {QStringLiteral("veto_percent"), static_cast<int>(config.vetoPercent)},
        {QStringLiteral("params"), params},
        {QStringLiteral("kinds"), kinds},
        {QStringLiteral("dataset_tiers"), tiers},
        {QStringLiteral("approved_datasets"), datasets},
        {QStringLiteral("proposals"), QJsonObject{{QStringLiteral("total"), num(total)}, {QStringLiteral("open"), num(open.size())}}},
    });
}

Expected<QJsonValue> listProposals(NodeChain &c, const QString &filter, int count, std::uint64_t beforeNumber)
{
    std::optional<bool> open;
    if (filter == QLatin1String("open")) open = true;
    else if (filter == QLatin1String("closed")) open = false;
    else if (filter != QLatin1String("all")) return bad("listproposals: filter is all, open or closed");
    BLYAN_TRY(const auto list, ledger::governance::listProposals(c.database(), open, beforeNumber, count));
    QJsonArray out;
    for (const auto &e : list) {
        BLYAN_TRY(const QJsonObject o, proposalJson(c, e.id, e.row));
        out.append(o);
    }
    const bool more = static_cast<int>(list.size()) == count && !list.empty() && list.back().row.number > 1;
    return QJsonValue(QJsonObject{{QStringLiteral("height"), num(c.height())},
                                  {QStringLiteral("proposals"), out},
                                  {QStringLiteral("next_before_number"), more ? num(list.back().row.number) : QJsonValue()}});
}

Expected<QJsonValue> getProposal(NodeChain &c, const QString &which, int votes)
{
    BLYAN_TRY(const auto found, findProposal(c, which));
    const auto &[id, p] = found;
    BLYAN_TRY(QJsonObject o, proposalJson(c, id, p));
    BLYAN_TRY(const auto stored, c.ledger().transaction(id));
    BLYAN_TRY(const auto body, chain::transactionBody<chain::GovernanceProposalBody>(stored->tx));
    o.insert(QStringLiteral("text"), QString::fromStdString(body.text));
    o.insert(QStringLiteral("txid"), hex(id));
    QJsonArray voteList;
    BLYAN_TRY(const auto list, ledger::governance::proposalVotes(c.database(), id, votes));
    for (const auto &v : list)
        voteList.append(QJsonObject{{QStringLiteral("voter"), qs(chain::formatAddress(c.network(), v.voter))},
                                    {QStringLiteral("choice"), qs(chain::voteChoiceName(v.vote.choice))},
                                    {QStringLiteral("weight"), amountJson(v.vote.weight)},
                                    {QStringLiteral("height"), num(v.vote.height)}});
    o.insert(QStringLiteral("votes"), voteList);
    BLYAN_TRY(const std::uint64_t voteCount, ledger::governance::proposalVoteCount(c.database(), id));
    o.insert(QStringLiteral("votes_count"), num(voteCount));
    // History, with each vote's previous choice so a reader can replay the tally block by block.
    QJsonArray history;
    std::map<crypto::PublicKey, std::uint8_t> last;
    BLYAN_TRY(const auto events, ledger::governance::proposalEvents(c.database(), id, 10'000));
    for (const auto &e : events) {
        QJsonObject h{{QStringLiteral("height"), num(e.height)}};
        switch (e.kind) {
        case ledger::GovernanceEventKind::Created:
            h.insert(QStringLiteral("event"), QStringLiteral("created"));
            h.insert(QStringLiteral("actor"), qs(chain::formatAddress(c.network(), e.actor)));
            h.insert(QStringLiteral("deposit"), amountJson(e.weight));
            h.insert(QStringLiteral("txid"), hex(e.txid));
            break;
        case ledger::GovernanceEventKind::Vote: {
            h.insert(QStringLiteral("event"), QStringLiteral("vote"));
            h.insert(QStringLiteral("actor"), qs(chain::formatAddress(c.network(), e.actor)));
            h.insert(QStringLiteral("choice"), qs(chain::voteChoiceName(static_cast<chain::VoteChoice>(e.choice))));
            const auto prev = last.find(e.actor);
            h.insert(QStringLiteral("previous_choice"),
                     prev == last.end() ? QJsonValue() : QJsonValue(qs(chain::voteChoiceName(static_cast<chain::VoteChoice>(prev->second)))));
            last[e.actor] = e.choice;
            h.insert(QStringLiteral("weight"), amountJson(e.weight));
            h.insert(QStringLiteral("txid"), hex(e.txid));
            break;
        }
        case ledger::GovernanceEventKind::Closed:
            h.insert(QStringLiteral("event"), QStringLiteral("closed"));
            h.insert(QStringLiteral("status"), QString::fromLatin1(ledger::proposalStatusName(static_cast<ledger::ProposalStatus>(e.choice))));
            h.insert(QStringLiteral("deposit"), amountJson(e.weight));
            h.insert(QStringLiteral("deposit_returned"), e.choice != static_cast<std::uint8_t>(ledger::ProposalStatus::Vetoed));
            break;
        }
        history.append(h);
    }
    o.insert(QStringLiteral("history"), history);
    return QJsonValue(o);
}

Expected<chain::GovernanceProposalBody> bodyFromJson(NodeChain &c, const QString &kindName, const QString &title,
                                                     const QString &text, const QJsonObject &details,
                                                     const QString &deposit)
{
    chain::GovernanceProposalBody b;
    const auto kind = chain::parseProposalKind(kindName.trimmed().toStdString());
    if (!kind)
        return bad("kind '" + kindName.toStdString() +
                   "' is not one of signal, parameter_change, dataset_approval, model_spec_upgrade, treasury_spend, pact_amendment");
    b.action.kind = *kind;
    // Only the fields of the kind: a stray one is a mistake the caller should hear about.
    QStringList allowed;
    switch (*kind) {
    case chain::ProposalKind::Signal: break;
    case chain::ProposalKind::ParameterChange: allowed = {QStringLiteral("param"), QStringLiteral("value")}; break;
    case chain::ProposalKind::DatasetApproval: allowed = {QStringLiteral("object"), QStringLiteral("tier")}; break;
    case chain::ProposalKind::ModelSpecUpgrade:
    case chain::ProposalKind::PactAmendment: allowed = {QStringLiteral("object")}; break;
    case chain::ProposalKind::TreasurySpend: allowed = {QStringLiteral("to"), QStringLiteral("amount")}; break;
    }
    for (auto it = details.begin(); it != details.end(); ++it)
        if (!allowed.contains(it.key()))
            return bad("details." + it.key().toStdString() + " does not belong to a " + kindName.toStdString() + " proposal" +
                       (allowed.isEmpty() ? std::string(" (it takes no details)") : " (it takes " + allowed.join(QStringLiteral(", ")).toStdString() + ")"));
    for (const QString &k : allowed)
        if (!details.contains(k)) return bad("details." + k.toStdString() + " is required for a " + kindName.toStdString() + " proposal");
    auto wholeNumber = [&](const QString &key, std::uint64_t max) -> Expected<std::uint64_t> {
        const QJsonValue v = details.value(key);
        bool ok = v.isString();
        std::uint64_t n = ok ? v.toString().trimmed().toULongLong(&ok) : 0;
        if (v.isDouble() && v.toDouble() >= 0 && v.toDouble() <= 9.0e15 && v.toDouble() == static_cast<double>(static_cast<std::uint64_t>(v.toDouble()))) {
            ok = true;
            n = static_cast<std::uint64_t>(v.toDouble());
        }
        if (!ok || n > max) return bad("details." + key.toStdString() + " must be a whole number from 0 to " + std::to_string(max));
        return n;
    };
    auto objectId = [&]() -> Expected<chain::ObjectId> {
        const QString s = details.value(QStringLiteral("object")).toString().trimmed();
        if (auto id = crypto::hashFromHex(s.toStdString())) return *id;
        // A name resolves to its head, as getobject does.
        BLYAN_TRY(const auto head, c.ledger().head(s.toStdString()));
        if (!head) return bad("details.object '" + s.toStdString() + "' is neither an object id (64 hex digits) nor a published name");
        return *head;
    };
    switch (*kind) {
    case chain::ProposalKind::Signal: break;
    case chain::ProposalKind::ParameterChange: {
        const QJsonValue p = details.value(QStringLiteral("param"));
        const chain::GovParamInfo *info = p.isString() ? chain::findGovParam(p.toString().toStdString()) : nullptr;
        if (!info && p.isDouble()) info = chain::findGovParam(static_cast<std::uint8_t>(p.toInt()));
        if (!info) {
            QStringList names;
            for (const auto &i : chain::govParams()) names << QString::fromLatin1(i.name);
            return bad("details.param must be one of " + names.join(QStringLiteral(", ")).toStdString());
        }
        b.action.param = static_cast<std::uint8_t>(info->id);
        BLYAN_TRY(b.action.value, wholeNumber(QStringLiteral("value"), UINT64_MAX / 2));
        break;
    }
    case chain::ProposalKind::DatasetApproval: {
        BLYAN_TRY(b.action.object, objectId());
        BLYAN_TRY(const std::uint64_t tier, wholeNumber(QStringLiteral("tier"), 255));
        b.action.tier = static_cast<std::uint8_t>(tier);
        break;
    }
    case chain::ProposalKind::ModelSpecUpgrade:
    case chain::ProposalKind::PactAmendment: {
        BLYAN_TRY(b.action.object, objectId());
        break;
    }
    case chain::ProposalKind::TreasurySpend: {
        const auto to = chain::parseAddress(details.value(QStringLiteral("to")).toString().trimmed().toStdString(), c.network());
        if (!to) return to.error().context("details.to");
        b.action.to = *to;
        const QJsonValue a = details.value(QStringLiteral("amount"));
        const QString amountText = a.isDouble() ? QString::number(a.toDouble(), 'f', 8) : a.toString();
        auto amount = chain::parseAmount(amountText.trimmed().toStdString());
        if (!amount) return amount.error().context("details.amount");
        b.action.amount = *amount;
        break;
    }
    }
    b.title = title.trimmed().toStdString();
    b.text = text.trimmed().toStdString();
    if (deposit.trimmed().isEmpty()) {
        BLYAN_TRY(const auto live, c.ledger().liveParams());
        b.deposit = live.proposalDeposit;
    } else {
        auto d = chain::parseAmount(deposit.trimmed().toStdString());
        if (!d) return d.error().context("deposit");
        b.deposit = *d;
    }
    chain::Transaction tx = chain::makeTransaction(networkParams(c.network()).networkId, 0, 0, b);
    BLYAN_CHECK(b.check(tx));
    return b;
}

}  // namespace blyan::node::governance
