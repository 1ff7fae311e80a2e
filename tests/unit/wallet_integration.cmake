# core/wallet, the OS-integration side: backup zips (round trip, every refusal, nothing left behind) and
# blyan: payment URIs (strict parsing, round trip). The keychain's real round trip is in tests/integration.
blyan_add_test(NAME test_wallet_backup
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_wallet_backup.cpp
  LIBS blyan_wallet QuaZip::QuaZip
  TIMEOUT 120
  LABELS unit)

blyan_add_test(NAME test_payment_uri
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_payment_uri.cpp
  LIBS blyan_wallet
  TIMEOUT 60
  LABELS unit)
