# Keystore, wallet keys, wallet database, transaction building.
target_sources(blyan_wallet PRIVATE
  wallet_paths.h wallet_paths.cpp
  keystore.h keystore.cpp
  wallet_db.h wallet_db.cpp
  wallet_keys.h wallet_keys.cpp
)
