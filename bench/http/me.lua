-- HUIYIN_COOKIE=... wrk -t2 -c64 -d10s --latency -s bench/http/me.lua http://127.0.0.1:18099
-- An authenticated small JSON read: GET /api/v1/auth/me (session lookup + principal + JSON).
local C = dofile((os.getenv("HUIYIN_BENCH_DIR") or "bench/http") .. "/common.lua")
C.auth_headers()
wrk.method = "GET"
wrk.path = "/api/v1/auth/me"
setup = C.track()
function response(status) C.count(status) end
function done() C.report() end
