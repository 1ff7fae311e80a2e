#pragma once
// Turns SIGINT/SIGTERM (Ctrl+C, systemd, kill) into a queued call on the main thread, through a
// self-pipe: a signal handler may only write a byte, everything else happens in the event loop.

#include <functional>

namespace blyan::app {

void onTerminationSignal(std::function<void()> handler);

}  // namespace blyan::app
