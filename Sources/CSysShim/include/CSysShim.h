#ifndef AMQTOP_CSYSSHIM_H
#define AMQTOP_CSYSSHIM_H
#include <sys/types.h>
/// Placeholder so the target builds; platform helpers are added beside it.
int amqtop_shim_version(void);
#endif
