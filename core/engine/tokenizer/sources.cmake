# Tokenizer and chat templates: plain C++ (no LibTorch needed), part of blyan_engine.
target_sources(blyan_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/unicode.h ${CMAKE_CURRENT_LIST_DIR}/unicode.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unicode_tables.h ${CMAKE_CURRENT_LIST_DIR}/unicode_tables.cpp
  ${CMAKE_CURRENT_LIST_DIR}/regex.h ${CMAKE_CURRENT_LIST_DIR}/regex.cpp
  ${CMAKE_CURRENT_LIST_DIR}/components.h
  ${CMAKE_CURRENT_LIST_DIR}/normalizers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pre_tokenizers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/decoders.cpp
  ${CMAKE_CURRENT_LIST_DIR}/bpe.h ${CMAKE_CURRENT_LIST_DIR}/bpe.cpp
  ${CMAKE_CURRENT_LIST_DIR}/added_tokens.h ${CMAKE_CURRENT_LIST_DIR}/added_tokens.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tokenizer.h ${CMAKE_CURRENT_LIST_DIR}/tokenizer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/chat_template.h ${CMAKE_CURRENT_LIST_DIR}/chat_template.cpp
)
