// libpg_query's API, loaded at run time (see pg_query_loader.c).
#include <pg_query.h>

// 1 when libpg_query could be loaded; the linter checks it before parsing.
int strata_pg_query_available(void);
