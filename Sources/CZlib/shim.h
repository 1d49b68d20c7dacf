// zlib (Debian's zlib1g-dev), for reading rotated broker logs that were gzipped.
#include <zlib.h>
