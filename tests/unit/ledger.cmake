blyan_add_test(NAME test_tokenomics
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_tokenomics.cpp
  LIBS blyan_ledger TIMEOUT 60 LABELS unit)
blyan_add_test(NAME test_mempool
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_mempool.cpp
  LIBS blyan_ledger TIMEOUT 120 LABELS unit)
blyan_add_test(NAME test_ledger
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_ledger.cpp ${CMAKE_CURRENT_SOURCE_DIR}/test_ledger_fixture.h
  LIBS blyan_ledger TIMEOUT 300 LABELS unit)
# Validator-set networks: genesis validators, proposer schedule, epochs, slashing, reverting blocks.
blyan_add_test(NAME test_ledger_consensus
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_ledger_consensus.cpp
  LIBS blyan_ledger TIMEOUT 300 LABELS unit)
