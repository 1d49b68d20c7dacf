#include "CSysShim.h"
int amqtop_shim_version(void) { return 1; }
