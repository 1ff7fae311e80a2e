# blyan_add_test(NAME name SOURCES ... LIBS ... [TIMEOUT s] [LABELS ...] [ENV ...])
# One QtTest executable per test, run headless: offscreen Qt platform, and no session bus so that
# D-Bus autolaunch and keyring prompts can never hang a test (shared/README.md).
function(blyan_add_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS;ENV" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  set_target_properties(${T_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  target_link_libraries(${T_NAME} PRIVATE Qt6::Test ${T_LIBS})
  target_compile_definitions(${T_NAME} PRIVATE
    BLYAN_BUILD_DIR="${CMAKE_BINARY_DIR}" BLYAN_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
    BLYAN_BIN_DIR="${CMAKE_BINARY_DIR}/bin")
  blyan_warnings(${T_NAME})
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  set_tests_properties(${T_NAME} PROPERTIES
    TIMEOUT ${T_TIMEOUT}
    LABELS "${T_LABELS}"
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent;${T_ENV}")
endfunction()
