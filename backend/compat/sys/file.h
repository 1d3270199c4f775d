/* Windows build only: see backend/compat.h (force-included). */
#include "../../compat.h"
