# core/consensus: fork choice and finality.
blyan_add_test(NAME test_consensus
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_consensus.cpp
  LIBS blyan_consensus TIMEOUT 60 LABELS unit)
