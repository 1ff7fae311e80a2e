#include "ui/wallet/qr_code.h"

#include <QCoreApplication>
#include <QPainter>

#include <qrencode.h>

#include <cerrno>
#include <memory>

namespace blyan::ui {

namespace {
constexpr int kQuietZone = 4;  // modules of white around the code (ISO/IEC 18004)

struct QrFree {
    void operator()(QRcode *c) const { QRcode_free(c); }
};
using QrPtr = std::unique_ptr<QRcode, QrFree>;

QrPtr encode(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    // Version 0: the smallest that fits; case-sensitive 8-bit mode keeps the URI byte for byte.
    return QrPtr(QRcode_encodeString(utf8.constData(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
}
}  // namespace

QImage makeQrImage(const QString &text, int pixelsPerModule, QString *error)
{
    QrPtr code = encode(text);
    if (!code) {
        if (error)
            *error = errno == ERANGE ? QCoreApplication::translate("Qr", "Too long for a QR code.")
                                     : QCoreApplication::translate("Qr", "The QR code could not be made.");
        return {};
    }
    const int n = code->width;
    const int px = qMax(1, pixelsPerModule);
    QImage img((n + 2 * kQuietZone) * px, (n + 2 * kQuietZone) * px, QImage::Format_RGB32);
    img.fill(Qt::white);
    QPainter p(&img);
    p.setPen(Qt::NoPen);
    p.setBrush(Qt::black);
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x)
            if (code->data[y * n + x] & 1)  // bit 0: dark module; the other bits are encoder bookkeeping
                p.drawRect((x + kQuietZone) * px, (y + kQuietZone) * px, px, px);
    p.end();
    if (error) error->clear();
    return img;
}

int qrModuleSizeFor(const QString &text, int pixels)
{
    QrPtr code = encode(text);
    if (!code) return 1;
    return qMax(1, pixels / (code->width + 2 * kQuietZone));
}

}  // namespace blyan::ui
