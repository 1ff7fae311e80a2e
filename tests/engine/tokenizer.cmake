# Tokenizer and chat-template tests.
blyan_add_engine_test(NAME test_engine_tokenizer_unicode SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_tokenizer_unicode.cpp TIMEOUT 120)
blyan_add_engine_test(NAME test_engine_tokenizer_qwen3 SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_tokenizer_qwen3.cpp TIMEOUT 300)
blyan_add_engine_test(NAME test_engine_tokenizer_formats SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_tokenizer_formats.cpp TIMEOUT 120)
blyan_add_engine_test(NAME test_engine_chat_template SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_chat_template.cpp TIMEOUT 120)
blyan_add_engine_test(NAME test_engine_tokenize_cli SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_tokenize_cli.cpp TIMEOUT 120)
add_dependencies(test_engine_tokenize_cli blyan-engine)
