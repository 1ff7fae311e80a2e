# Tokenizer and chat templates: plain C++ (no LibTorch needed), part of blyan_engine.
target_sources(blyan_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/unicode.h ${CMAKE_CURRENT_LIST_DIR}/unicode.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unicode_tables.h ${CMAKE_CURRENT_LIST_DIR}/unicode_tables.cpp
  ${CMAKE_CURRENT_LIST_DIR}/regex.h ${CMAKE_CURRENT_LIST_DIR}/regex.cpp
)
