#pragma once
// The data dir will hold the wallet, the node's identity key and chats: files a node creates are
// for its user only (umask 077, as bitcoind does). Call first thing in main().

namespace blyan::app {

void restrictFileCreationMask();

}  // namespace blyan::app
