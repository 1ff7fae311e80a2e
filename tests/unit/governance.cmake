# Governance (issue 9): proposal and vote bodies, config/governance.json, and the ledger's rules on real
# SQLite files (a devnet with several stakers; a testnet ledger for reverts).
blyan_add_test(NAME test_governance
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_governance.cpp ${CMAKE_CURRENT_SOURCE_DIR}/test_ledger_fixture.h
  LIBS blyan_ledger TIMEOUT 300 LABELS unit)
# The governance RPC methods on a real devnet Node: a wallet proposal and votes through Node::call, the tally,
# the end height, the parameter changed.
blyan_add_test(NAME test_node_governance
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_node_governance.cpp
  LIBS blyan_node TIMEOUT 300 LABELS unit)
