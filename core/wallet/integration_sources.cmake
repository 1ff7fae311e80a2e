# OS keychain (QtKeychain), backup zips (QuaZip), blyan: payment URIs.
target_sources(blyan_wallet PRIVATE
)
