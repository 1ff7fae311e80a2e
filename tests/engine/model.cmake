# Checkpoint, forward pass, sampler and generator tests.
blyan_add_engine_test(NAME test_engine_model_reference
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_model_reference.cpp ${CMAKE_CURRENT_SOURCE_DIR}/engine_test_util.h
  LIBS torch TIMEOUT 300)
blyan_add_engine_test(NAME test_engine_checkpoint
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_checkpoint.cpp ${CMAKE_CURRENT_SOURCE_DIR}/engine_test_util.h
  LIBS torch TIMEOUT 120)
blyan_add_engine_test(NAME test_engine_generation
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_generation.cpp ${CMAKE_CURRENT_SOURCE_DIR}/engine_test_util.h
  LIBS torch TIMEOUT 120)
blyan_add_engine_test(NAME test_engine_cli
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_engine_cli.cpp ${CMAKE_CURRENT_SOURCE_DIR}/engine_test_util.h
  TIMEOUT 120)
add_dependencies(test_engine_cli blyan-engine)
