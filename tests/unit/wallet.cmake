# core/wallet: keystore and keys (test_wallet_keys); the wallet inside a node on a devnet chain
# (test_node_wallet: history, statuses, sends, restore, locking, no secret in the logs).
blyan_add_test(NAME test_wallet_keys
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_wallet_keys.cpp
  LIBS blyan_wallet
  TIMEOUT 120
  LABELS unit)

blyan_add_test(NAME test_node_wallet
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_node_wallet.cpp
  LIBS blyan_node
  TIMEOUT 180
  LABELS unit)
