#pragma once
// The peer layer's log category ("blyan.p2p"); util/log.h owns the others.

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcP2p)
