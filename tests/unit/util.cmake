blyan_add_test(NAME test_util
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_codec.cpp
  LIBS blyan_util TIMEOUT 120 LABELS unit)
blyan_add_test(NAME test_util_config
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_config.cpp
  LIBS blyan_util TIMEOUT 60 LABELS unit)
