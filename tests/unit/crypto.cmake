# core/crypto: known-answer tests against published vectors (RFC 8032, RFC 7748, RFC 7693,
# BIP-173/350, draft-irtf-cfrg-xchacha) plus rejection and secure-memory behaviour.
blyan_add_test(NAME test_crypto
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_crypto.cpp
  LIBS blyan_crypto
  TIMEOUT 120
  LABELS unit)

# core/crypto wallet primitives: HMAC-SHA512 (RFC 4231), PBKDF2-HMAC-SHA512, Argon2id (known answers
# and calibration), BIP-39 (all Trezor English vectors, normalisation, every rejection) and
# SLIP-0010 Ed25519 (vectors 1 and 2, path parsing), plus Blyan's derivation path.
blyan_add_test(NAME test_crypto_wallet
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_crypto_wallet.cpp
  LIBS blyan_crypto
  TIMEOUT 120
  LABELS unit)
