#pragma once
// The PostgreSQL store's tables, by schema version, and the step that brings a database to the
// version this rekap knows: an empty database gets every table, an older rekap's the ones it
// lacks, a newer rekap's is refused. The version is the single row of rekap_schema; the
// versions count as the SQLite store's do (1: the log and its state, 2: citizens' reports), and
// 3 adds the photos (beside SQLite they are files) and the nodes' queue.
#include "store/postgres/connection.hpp"

namespace rekap::pg {

// Throws StoreError when the database holds a schema this rekap does not know, or cannot be
// brought to its version (a server that takes no writes, a table of that name already there).
// Runs in one transaction, under a transaction-level advisory lock so that several nodes
// opening a new database at once create it once.
// OpenMode::existing refuses a database without rekap's schema, writing nothing.
void prepare_schema(Connection& conn, OpenMode mode);

}  // namespace rekap::pg
