-- HUIYIN_COOKIE=... HUIYIN_PATHS=paths.txt wrk -t2 -c16 -d15s --latency -s bench/http/paths.lua URL
-- GETs paths taken at random from a file (one a line): queue lists, searches, indicators.
-- Run with --latency for p50/p99. Non-2xx statuses are printed at the end.
local C = dofile((os.getenv("HUIYIN_BENCH_DIR") or "bench/http") .. "/common.lua")
C.auth_headers()
local paths = C.lines(os.getenv("HUIYIN_PATHS"), 100000)
local i = 0
function request()
  i = i + 1
  return wrk.format("GET", paths[math.random(#paths)])
end
setup = C.track()
function response(status) C.count(status) end
function done() C.report() end
