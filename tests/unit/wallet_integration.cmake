# core/wallet, the OS-integration side: blyan: payment URIs (strict parsing, round trip). The keychain's real
# round trip is in tests/integration.
blyan_add_test(NAME test_payment_uri
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_payment_uri.cpp
  LIBS blyan_wallet
  TIMEOUT 60
  LABELS unit)
