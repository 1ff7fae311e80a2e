#pragma once
// QR codes through libqrencode, drawn module by module into a QImage at an integer number of
// pixels per module, so every edge falls on a pixel boundary and scanners read it at any size.

#include <QImage>
#include <QString>

namespace blyan::ui {

// `text` encoded as UTF-8 bytes, error correction level M, with the 4-module quiet zone the
// standard asks for, dark modules on white (phones read inverted codes poorly, so also in the
// dark theme). A null image and the reason in *error when it cannot be encoded (too long).
QImage makeQrImage(const QString &text, int pixelsPerModule, QString *error = nullptr);
// The largest pixels-per-module that fits `text`'s code into `pixels` (at least 1).
int qrModuleSizeFor(const QString &text, int pixels);

}  // namespace blyan::ui
