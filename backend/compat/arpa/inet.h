/* Windows build only: inet_pton lives in Winsock. Its gethostname is
 * not compat.h's. */
#undef gethostname
#include <winsock2.h>
#include <ws2tcpip.h>
/* Its RES_SERVICE (a name-service flag) would hide host.h's kind. */
#undef RES_SERVICE
