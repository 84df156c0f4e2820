// PostgreSQL driver over libpq: a bounded connection pool, `?` placeholders rewritten to `$n`,
// per-connection prepared statements, transparent retry of serialization failures and deadlocks.
#pragma once

#include <memory>
#include <string>

#include "huiyin/storage/database.h"

namespace huiyin::storage {

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url,
                                               const DatabaseOptions& options);

// "SELECT ? , '?'" -> "SELECT $1 , '?'": placeholders outside quotes become $1..$n.
std::string RewritePlaceholders(std::string_view sql);

}  // namespace huiyin::storage
