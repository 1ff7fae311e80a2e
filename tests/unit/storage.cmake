# core/storage: SQLite wrapper, migrations, object store, chunk Merkle trees, crash safety (fork/kill).
blyan_add_test(NAME test_storage
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_storage.cpp
  LIBS blyan_storage
  TIMEOUT 180
  LABELS unit)
