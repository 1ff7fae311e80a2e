#pragma once
// bitcoind-style cookie authentication: at start the node writes a fresh random secret to
// <datadir>/.cookie (owner-only permissions) and deletes it at shutdown. Local clients that can
// read the data dir can call the RPC; nobody else can, and no password is ever configured.

#include "util/error.h"

#include <QByteArray>
#include <QString>

namespace blyan::node {

inline constexpr char kCookieUser[] = "__cookie__";

// Writes "__cookie__:<64 hex>" atomically with mode 0600; returns the full "user:password" line.
Expected<QByteArray> writeCookie(const QString &path);
// Reads it back (blyan-cli). The error tells the user whether the node is running.
Expected<QByteArray> readCookie(const QString &path);
void removeCookie(const QString &path);

// Constant-time check of an HTTP `Authorization: Basic ...` header against the cookie.
bool checkBasicAuth(const QByteArray &authorizationHeader, const QByteArray &cookie);

}  // namespace blyan::node
