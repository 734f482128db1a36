#include <sqlite3.h>

// sqlite3_config is variadic, which Swift cannot call: this turns off SQLite's memory
// statistics, whose global mutex every allocation would otherwise take. Effective only
// before SQLite initializes; afterwards it changes nothing.
static inline int strata_sqlite3_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
