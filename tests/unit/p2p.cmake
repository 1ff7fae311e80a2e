blyan_add_test(NAME test_p2p
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_p2p.cpp
  LIBS blyan_p2p TIMEOUT 120 LABELS unit)
# The peer layer: several PeerManagers over loopback TCP and UDP in one process.
blyan_add_test(NAME test_p2p_peers
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_p2p_peers.cpp
  LIBS blyan_p2p TIMEOUT 300 LABELS unit)
