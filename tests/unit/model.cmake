# core/model: model spec format, checkpoint components, component payloads, the import journal, and the
# tiered expert store against the checkpoint's own experts.
blyan_add_test(NAME test_model
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_model.cpp
  LIBS blyan_model
  TIMEOUT 300
  LABELS unit)
