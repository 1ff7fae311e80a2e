#include "model/component_writer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <sys/mman.h>

namespace blyan::model {

std::string componentHeader(const ComponentPlan &plan)
{
    QJsonObject header{{QStringLiteral("__metadata__"), QJsonObject{{QStringLiteral("format"), QStringLiteral("pt")}}}};
    std::uint64_t offset = 0;
    for (const auto &t : plan.tensors) {
        QJsonArray shape;
        for (auto d : t.entry->shape) shape.append(static_cast<qint64>(d));
        const std::uint64_t n = t.entry->nbytes();
        header.insert(QString::fromStdString(t.entry->name),
                      QJsonObject{{QStringLiteral("dtype"), QLatin1String(engine::dtypeName(t.entry->dtype))},
                                  {QStringLiteral("shape"), shape},
                                  {QStringLiteral("data_offsets"),
                                   QJsonArray{static_cast<qint64>(offset), static_cast<qint64>(offset + n)}}});
        offset += n;
    }
    std::string text = QJsonDocument(header).toJson(QJsonDocument::Compact).toStdString();
    while ((8 + text.size()) % 64 != 0) text.push_back(' ');
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((static_cast<std::uint64_t>(text.size()) >> (8 * i)) & 0xff);
    return out + text;
}

Expected<storage::ObjectInfo> writeComponent(const ComponentPlan &plan, const storage::ObjectStore &store,
                                             const std::atomic<bool> &cancel,
                                             const std::function<void(std::uint64_t)> &onBytes)
{
    constexpr std::size_t kPiece = 8u << 20;
    BLYAN_TRY(storage::ObjectWriter w, store.writer());
    const std::string header = componentHeader(plan);
    BLYAN_CHECK(w.append(asBytes(header)));
    for (const auto &t : plan.tensors) {
        const auto *p = reinterpret_cast<const std::uint8_t *>(t.entry->data);
        const std::uint64_t n = t.entry->nbytes();
        for (std::uint64_t off = 0; off < n; off += kPiece) {
            if (cancel.load()) {
                w.abandon();
                return makeError(ErrorCode::Unavailable, "cancelled");
            }
            const std::size_t len = static_cast<std::size_t>(std::min<std::uint64_t>(kPiece, n - off));
            BLYAN_CHECK(w.append(ByteView(p + off, len)));
            // The source pages are not needed again: let the kernel drop them, so a 60 GB import does not
            // push everything else out of the page cache (best effort: the mapping is read-only and shared).
            const auto page = static_cast<std::uintptr_t>(4096);
            const auto begin = (reinterpret_cast<std::uintptr_t>(p + off) + page - 1) & ~(page - 1);
            const auto end = reinterpret_cast<std::uintptr_t>(p + off + len) & ~(page - 1);
            if (end > begin) ::madvise(reinterpret_cast<void *>(begin), end - begin, MADV_DONTNEED);
            if (onBytes) onBytes(len);
        }
    }
    return w.commit();
}

}  // namespace blyan::model
