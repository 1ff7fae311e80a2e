# Keystore, wallet keys, wallet database, transaction building.
target_sources(blyan_wallet PRIVATE
  wallet_paths.h wallet_paths.cpp
)
