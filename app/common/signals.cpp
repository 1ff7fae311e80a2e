#include "common/signals.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#ifdef Q_OS_UNIX
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace blyan::app {

#ifdef Q_OS_UNIX
static int g_pipe[2] = {-1, -1};

static void handleSignal(int)
{
    const char b = 1;
    [[maybe_unused]] auto n = ::write(g_pipe[1], &b, 1);
}

void onTerminationSignal(std::function<void()> handler)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_pipe) != 0) return;
    auto *notifier = new QSocketNotifier(g_pipe[0], QSocketNotifier::Read, QCoreApplication::instance());
    QObject::connect(notifier, &QSocketNotifier::activated, notifier, [handler] {
        char b;
        [[maybe_unused]] auto n = ::read(g_pipe[0], &b, 1);
        handler();
    });
    struct sigaction sa {};
    sa.sa_handler = handleSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}
#else
void onTerminationSignal(std::function<void()>) {}
#endif

}  // namespace blyan::app
