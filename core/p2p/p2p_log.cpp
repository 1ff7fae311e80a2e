#include "p2p/p2p_log.h"

Q_LOGGING_CATEGORY(lcP2p, "blyan.p2p", QtInfoMsg)
