#include "common/file_mode.h"

#include <QtGlobal>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

namespace blyan::app {

void restrictFileCreationMask()
{
#ifdef Q_OS_UNIX
    ::umask(077);
#endif
    // Windows: files under the per-user AppData folder inherit its owner-only ACL.
}

}  // namespace blyan::app
