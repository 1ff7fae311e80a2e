# The OS keychain for real (Linux): QtKeychainStore against gnome-keyring-daemon's Secret Service on a private
# D-Bus session, and the same executable with no session bus at all, where it must fail fast and clearly.
# Not blyan_add_test: that one pins DBUS_SESSION_BUS_ADDRESS to /nonexistent, which is right for every other
# test and wrong for the first of these two.
if(NOT CMAKE_SYSTEM_NAME STREQUAL "Linux")
  return()
endif()

add_executable(test_keychain ${CMAKE_CURRENT_SOURCE_DIR}/test_keychain.cpp)
set_target_properties(test_keychain PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
target_link_libraries(test_keychain PRIVATE Qt6::Test blyan_wallet)
blyan_warnings(test_keychain)

find_program(BLYAN_DBUS_RUN_SESSION dbus-run-session)
find_program(BLYAN_GNOME_KEYRING_DAEMON gnome-keyring-daemon)
if(BLYAN_DBUS_RUN_SESSION AND BLYAN_GNOME_KEYRING_DAEMON)
  # A throw-away keyring: private XDG dirs, so a developer's own login keyring is never opened, unlocked or
  # written. The password must not be empty: with an empty one gnome-keyring 42 creates no "login" collection
  # and every write fails with "Object does not exist at path .../collection/login" (measured). The daemon
  # leaves with the bus when the test ends.
  set(_keyring_script [=[
set -e
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -m 700 "$dir/runtime"
export XDG_RUNTIME_DIR="$dir/runtime" XDG_DATA_HOME="$dir/data" XDG_CONFIG_HOME="$dir/config" XDG_CACHE_HOME="$dir/cache"
printf 'blyan-test-keyring' | "$1" --unlock --components=secrets --daemonize >/dev/null
"$2"
]=])
  add_test(NAME test_keychain
    COMMAND ${BLYAN_DBUS_RUN_SESSION} -- sh -c "${_keyring_script}" sh ${BLYAN_GNOME_KEYRING_DAEMON}
            $<TARGET_FILE:test_keychain>)
else()
  add_test(NAME test_keychain COMMAND sh -c
    "echo 'test_keychain needs dbus-run-session and gnome-keyring-daemon: run installers/install-deps-debian.sh' >&2; exit 1")
endif()
set_tests_properties(test_keychain PROPERTIES TIMEOUT 60 LABELS integration ENVIRONMENT "QT_QPA_PLATFORM=offscreen")

add_test(NAME test_keychain_nobus COMMAND test_keychain)
set_tests_properties(test_keychain_nobus PROPERTIES TIMEOUT 30 LABELS integration
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent")
