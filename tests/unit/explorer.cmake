# The Explorer (issue 7): its RPC methods on a real devnet Node, and the paged blocks model over a
# chain of real blocks written with the node's own chain code.
blyan_add_test(NAME test_node_explorer
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_node_explorer.cpp
  LIBS blyan_node TIMEOUT 300 LABELS unit)
blyan_add_test(NAME test_block_list_model
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_block_list_model.cpp
  LIBS blyan_ui blyan_node TIMEOUT 300 LABELS unit)
