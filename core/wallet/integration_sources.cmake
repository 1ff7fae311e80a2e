# OS keychain (QtKeychain), backup zips (QuaZip), blyan: payment URIs.
target_sources(blyan_wallet PRIVATE
  keychain.h keychain.cpp
  backup.h backup.cpp backup_read.cpp backup_format.h backup_format.cpp
  payment_uri.h payment_uri.cpp
)
# QtKeychain and QuaZip stay private: the headers above expose only Qt Core and project types.
target_link_libraries(blyan_wallet PRIVATE Qt6Keychain::Qt6Keychain QuaZip::QuaZip)
