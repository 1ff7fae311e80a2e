#include "ledger/history_queries.h"

#include "chain/tx_kind.h"
#include "chain/tx_kinds/publish_object.h"
#include "chain/tx_kinds/transfer.h"
#include "ledger/sql_int.h"
#include "storage/database.h"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace blyan::ledger {

namespace {

Expected<StoredBlock> headerRow(const storage::Statement &st)
{
    StoredBlock b;
    BLYAN_TRY(b.header, chain::decodeBlockHeader(st.columnBlobView(0)));
    BLYAN_TRY(b.id, st.columnHash(1));
    BLYAN_TRY(const auto count, fromSqlInt(st.columnInt64(2), "block tx count"));
    b.transactions = static_cast<std::size_t>(count);
    return b;
}

Expected<ObjectRef> objectRef(const storage::Statement &st)
{
    ObjectRef r;
    BLYAN_TRY(r.id, st.columnHash(0));
    r.name = st.columnText(1);
    r.kind = st.columnText(2);
    BLYAN_TRY(r.publishedHeight, fromSqlInt(st.columnInt64(3), "object height"));
    return r;
}

bool involves(const chain::Transaction &tx, const PublicKey &key)
{
    if (tx.from == key) return true;
    if (tx.kind != static_cast<std::uint8_t>(chain::TxKind::Transfer)) return false;
    auto body = chain::TransferBody::decode(tx.body);
    return body.ok() && body->to == key;
}

// "layer12.expert3" -> (12, 3); false for any other shape.
bool parseExpertName(const std::string &name, int &layer, int &expert)
{
    const char *p = name.data(), *end = p + name.size();
    if (name.rfind("layer", 0) != 0) return false;
    p += 5;
    auto r = std::from_chars(p, end, layer);
    if (r.ec != std::errc() || r.ptr == p) return false;
    p = r.ptr;
    if (end - p < 7 || std::memcmp(p, ".expert", 7) != 0) return false;
    p += 7;
    r = std::from_chars(p, end, expert);
    return r.ec == std::errc() && r.ptr == end && r.ptr != p;
}

}  // namespace

Expected<std::vector<StoredBlock>> HistoryQueries::headers(std::uint64_t from, std::size_t count)
{
    BLYAN_TRY(const std::int64_t lo, toSqlInt(from, "height"));
    BLYAN_TRY(auto st, db_->prepareCached("SELECT header, id, tx_count FROM blocks WHERE height >= ?1 "
                                          "ORDER BY height LIMIT ?2"));
    BLYAN_CHECK(st.bindInt64(1, lo));
    BLYAN_CHECK(st.bindInt64(2, static_cast<std::int64_t>(count)));
    std::vector<StoredBlock> out;
    out.reserve(count);
    for (;;) {
        BLYAN_TRY(const bool row, st.step());
        if (!row) break;
        BLYAN_TRY(auto b, headerRow(st));
        out.push_back(std::move(b));
    }
    return out;
}

Expected<TxWindow> HistoryQueries::window(std::uint64_t tip, std::uint64_t blocks)
{
    TxWindow w;
    w.endHeight = tip;
    w.startHeight = blocks >= tip ? 0 : tip - blocks;
    w.blocks = w.endHeight - w.startHeight;
    BLYAN_TRY(const std::int64_t lo, toSqlInt(w.startHeight, "height"));
    BLYAN_TRY(const std::int64_t hi, toSqlInt(w.endHeight, "height"));
    BLYAN_TRY(auto sum, db_->prepareCached("SELECT coalesce(sum(tx_count), 0) FROM blocks WHERE height > ?1 AND height <= ?2"));
    BLYAN_CHECK(sum.bindInt64(1, lo));
    BLYAN_CHECK(sum.bindInt64(2, hi));
    BLYAN_TRY(const bool any, sum.step());
    if (any) {
        BLYAN_TRY(w.transactions, fromSqlInt(sum.columnInt64(0), "tx count"));
    }
    sum.reset();
    BLYAN_TRY(auto ends, db_->prepareCached("SELECT header, id, tx_count FROM blocks WHERE height = ?1 OR height = ?2"));
    BLYAN_CHECK(ends.bindInt64(1, lo));
    BLYAN_CHECK(ends.bindInt64(2, hi));
    for (;;) {
        BLYAN_TRY(const bool row, ends.step());
        if (!row) break;
        BLYAN_TRY(const auto b, headerRow(ends));
        if (b.header.height == w.startHeight) w.startTimeMs = b.header.timeMs;
        if (b.header.height == w.endHeight) w.endTimeMs = b.header.timeMs;
    }
    return w;
}

Expected<AddressScan> HistoryQueries::addressTransactions(const PublicKey &key, std::uint64_t belowHeight,
                                                          std::size_t maxFound, std::size_t maxScanned)
{
    AddressScan scan;
    BLYAN_TRY(const std::int64_t below, toSqlInt(belowHeight, "height"));
    // The primary key read backwards (no sort): newest block first, and within a block the last
    // transaction first. Whole blocks, so that "below this height" is an exact place to go on from.
    BLYAN_TRY(auto st, db_->prepare("SELECT height, tx_index, id, raw FROM txs WHERE height < ?1 "
                                    "ORDER BY height DESC, tx_index DESC"));
    BLYAN_CHECK(st.bindInt64(1, below));
    std::optional<std::uint64_t> current;  // the block being read
    for (;;) {
        BLYAN_TRY(const bool row, st.step());
        if (!row) {
            scan.nextBelow.reset();  // read down to genesis
            return scan;
        }
        BLYAN_TRY(const std::uint64_t height, fromSqlInt(st.columnInt64(0), "tx height"));
        if (current && height != *current && (scan.found.size() >= maxFound || scan.scanned >= maxScanned)) {
            scan.nextBelow = *current;
            return scan;
        }
        current = height;
        ++scan.scanned;
        const ByteView raw = st.columnBlobView(3);
        // Cheap filter first: the key's 32 bytes must appear in the encoding (sender or recipient).
        if (std::search(raw.begin(), raw.end(), key.begin(), key.end()) == raw.end()) continue;
        BLYAN_TRY(auto tx, chain::decodeTransaction(raw));
        if (!involves(tx, key)) continue;
        AddressTx a;
        BLYAN_TRY(a.id, st.columnHash(2));
        BLYAN_TRY(const std::uint64_t index, fromSqlInt(st.columnInt64(1), "tx index"));
        a.stored = StoredTransaction{std::move(tx), height, static_cast<std::size_t>(index)};
        scan.found.push_back(std::move(a));
    }
}

Expected<std::vector<ObjectRef>> HistoryQueries::versions(const std::string &name)
{
    BLYAN_TRY(auto st, db_->prepareCached("SELECT id, name, kind, published_height FROM objects WHERE name = ?1 "
                                          "ORDER BY published_height, id"));
    BLYAN_CHECK(st.bindText(1, name));
    std::vector<ObjectRef> out;
    for (;;) {
        BLYAN_TRY(const bool row, st.step());
        if (!row) break;
        BLYAN_TRY(auto r, objectRef(st));
        out.push_back(std::move(r));
    }
    return out;
}

Expected<std::pair<std::vector<ObjectRef>, std::uint64_t>> HistoryQueries::dependants(const chain::ObjectId &id,
                                                                                     std::size_t limit)
{
    std::pair<std::vector<ObjectRef>, std::uint64_t> out;
    BLYAN_TRY(auto count, db_->prepareCached("SELECT count(*) FROM object_deps WHERE depends_on = ?1"));
    BLYAN_CHECK(count.bindHash(1, id));
    BLYAN_TRY(const bool any, count.step());
    if (any) {
        BLYAN_TRY(out.second, fromSqlInt(count.columnInt64(0), "dependant count"));
    }
    count.reset();
    BLYAN_TRY(auto st, db_->prepareCached("SELECT o.id, o.name, o.kind, o.published_height FROM object_deps d "
                                          "JOIN objects o ON o.id = d.object WHERE d.depends_on = ?1 "
                                          "ORDER BY o.name, o.published_height LIMIT ?2"));
    BLYAN_CHECK(st.bindHash(1, id));
    BLYAN_CHECK(st.bindInt64(2, static_cast<std::int64_t>(limit)));
    for (;;) {
        BLYAN_TRY(const bool row, st.step());
        if (!row) break;
        BLYAN_TRY(auto r, objectRef(st));
        out.first.push_back(std::move(r));
    }
    return out;
}

Expected<std::optional<AddressTx>> HistoryQueries::publishingTransaction(const chain::ObjectId &id, std::uint64_t height)
{
    BLYAN_TRY(const std::int64_t h, toSqlInt(height, "height"));
    BLYAN_TRY(auto st, db_->prepareCached("SELECT id, raw, tx_index FROM txs WHERE height = ?1 ORDER BY tx_index"));
    BLYAN_CHECK(st.bindInt64(1, h));
    for (;;) {
        BLYAN_TRY(const bool row, st.step());
        if (!row) return std::optional<AddressTx>();
        const ByteView raw = st.columnBlobView(1);
        BLYAN_TRY(auto tx, chain::decodeTransaction(raw));
        if (tx.kind != static_cast<std::uint8_t>(chain::TxKind::PublishObject)) continue;
        BLYAN_TRY(const auto body, chain::PublishObjectBody::decode(tx.body));
        if (chain::objectId(body.record) != id) continue;
        AddressTx a;
        BLYAN_TRY(a.id, st.columnHash(0));
        BLYAN_TRY(const std::uint64_t index, fromSqlInt(st.columnInt64(2), "tx index"));
        a.stored = StoredTransaction{std::move(tx), height, static_cast<std::size_t>(index)};
        return std::optional<AddressTx>(std::move(a));
    }
}

Expected<std::vector<std::string>> HistoryQueries::namesWithPrefix(const std::string &prefix, std::size_t limit)
{
    // A range on the name index: names are ASCII (object.h's grammar), so prefix + 0x7f bounds them.
    BLYAN_TRY(auto st, db_->prepareCached("SELECT DISTINCT name FROM objects WHERE name >= ?1 AND name < ?2 "
                                          "ORDER BY name LIMIT ?3"));
    BLYAN_CHECK(st.bindText(1, prefix));
    BLYAN_CHECK(st.bindText(2, prefix + '\x7f'));
    BLYAN_CHECK(st.bindInt64(3, static_cast<std::int64_t>(limit)));
    std::vector<std::string> out;
    for (;;) {
        BLYAN_TRY(const bool row, st.step());
        if (!row) break;
        out.push_back(st.columnText(0));
    }
    return out;
}

Expected<std::vector<ExpertHead>> HistoryQueries::expertHeads()
{
    BLYAN_TRY(auto st, db_->prepareCached(
                           "SELECT h.name, h.object, o.published_height, "
                           "(SELECT count(*) FROM objects v WHERE v.name = h.name) "
                           "FROM heads h JOIN objects o ON o.id = h.object WHERE o.kind = 'expert'"));
    std::vector<ExpertHead> out;
    for (;;) {
        BLYAN_TRY(const bool row, st.step());
        if (!row) break;
        ExpertHead e;
        e.name = st.columnText(0);
        if (!parseExpertName(e.name, e.layer, e.expert)) continue;  // an expert of another naming scheme
        BLYAN_TRY(e.id, st.columnHash(1));
        BLYAN_TRY(e.publishedHeight, fromSqlInt(st.columnInt64(2), "object height"));
        BLYAN_TRY(e.versions, fromSqlInt(st.columnInt64(3), "version count"));
        out.push_back(std::move(e));
    }
    std::sort(out.begin(), out.end(), [](const ExpertHead &a, const ExpertHead &b) {
        return a.layer != b.layer ? a.layer < b.layer : a.expert < b.expert;
    });
    return out;
}

}  // namespace blyan::ledger
