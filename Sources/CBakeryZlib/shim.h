// The system zlib (Debian's zlib1g-dev), used to stream `.csv.gz` uploads.
#include <zlib.h>
