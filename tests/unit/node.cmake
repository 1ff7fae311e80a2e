blyan_add_test(NAME test_node_chain
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_node_chain.cpp
  LIBS blyan_node TIMEOUT 120 LABELS unit)
