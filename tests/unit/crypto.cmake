# core/crypto: known-answer tests against published vectors (RFC 8032, RFC 7748, RFC 7693,
# BIP-173/350, draft-irtf-cfrg-xchacha) plus rejection and secure-memory behaviour.
blyan_add_test(NAME test_crypto
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_crypto.cpp
  LIBS blyan_crypto
  TIMEOUT 120
  LABELS unit)
