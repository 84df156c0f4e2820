// The huiyin command line (CLI11): serve, migrate, demo, admin, audit, calendar, config, version.
#pragma once

namespace huiyin::cli {

// Parses argv and runs the chosen command; returns the process exit code (0 ok, 1 failure,
// 2 bad usage or configuration).
int Main(int argc, char** argv);

}  // namespace huiyin::cli
