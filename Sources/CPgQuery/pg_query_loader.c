// libpg_query, loaded with dlopen the first time a statement is linted, instead of linked.
//
// Only `strata lint` parses SQL; every other command, and every SQLite user, starts without
// mapping the parser (a 2.7 MB library). These definitions carry libpg_query's own names and
// signatures and forward each call to the function found in the library.
#include <dlfcn.h>
#include <stddef.h>
#include "CPgQuery.h"

static void *pg_query(void) {
    static void *handle;
    if (handle == NULL) {
        // The runtime package's soname first (libpg-query1504.0), then the -dev package's link.
        handle = dlopen("libpg_query.so.1504.0", RTLD_NOW | RTLD_LOCAL);
        if (handle == NULL) handle = dlopen("libpg_query.so", RTLD_NOW | RTLD_LOCAL);
    }
    return handle;
}

int strata_pg_query_available(void) {
    return pg_query() != NULL;
}

PgQueryParseResult pg_query_parse(const char *input) {
    static PgQueryParseResult (*function)(const char *);
    if (function == NULL) function = (PgQueryParseResult (*)(const char *))dlsym(pg_query(), "pg_query_parse");
    return function(input);
}

void pg_query_free_parse_result(PgQueryParseResult result) {
    static void (*function)(PgQueryParseResult);
    if (function == NULL) function = (void (*)(PgQueryParseResult))dlsym(pg_query(), "pg_query_free_parse_result");
    function(result);
}
