// libxcrypt (Debian's libcrypt1): bcrypt ($2y$, $2b$, $2a$) for `amqtop serve`'s basic auth,
// the hashes Prometheus exporters' web-config.yml holds.
#include <crypt.h>
