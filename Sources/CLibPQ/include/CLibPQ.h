// libpq's API, loaded at run time (see libpq_loader.c).
#include <postgresql/libpq-fe.h>

// 1 when libpq.so.5 could be loaded; the PostgreSQL driver checks it before connecting.
int strata_libpq_available(void);
