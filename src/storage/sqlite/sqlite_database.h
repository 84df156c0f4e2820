// SQLite driver: WAL, one group-committing writer thread, a pool of read-only reader connections.
#pragma once

#include <memory>
#include <string>

#include "huiyin/storage/database.h"

namespace huiyin::storage {

// `path` is a file name or ":memory:" (a private in-memory database served by the writer alone).
Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path,
                                             const DatabaseOptions& options);

}  // namespace huiyin::storage
