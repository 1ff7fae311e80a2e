# core/chain: codecs (round trips, truncations, trailing bytes), signatures, amounts, addresses, object
# records and the DAG rules, blocks.
blyan_add_test(NAME test_chain
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_chain.cpp
  LIBS blyan_chain
  TIMEOUT 300
  LABELS unit)
