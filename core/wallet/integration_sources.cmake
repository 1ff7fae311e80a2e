# OS keychain (QtKeychain), backup zips (QuaZip), blyan: payment URIs.
target_sources(blyan_wallet PRIVATE
  keychain.h keychain.cpp
  payment_uri.h payment_uri.cpp
)
# QtKeychain stays private: keychain.h exposes only SecretStore and Qt Core types.
target_link_libraries(blyan_wallet PRIVATE Qt6Keychain::Qt6Keychain)
