-- Two uses:
--  * against http_bench_server (no database): a worker-pool JSON route with browser-like headers,
--    `wrk -t2 -c64 -d10s -s bench/http/case_get.lua http://127.0.0.1:8080`;
--  * against huiyin: HUIYIN_COOKIE=... HUIYIN_CASES=numbers.txt wrk ... -s bench/http/case_get.lua
--    reads a random case page GET /api/v1/cases/{number} (numbers from the file, one a line).
local file = os.getenv("HUIYIN_CASES")
if file == "" then file = nil end
wrk.method = "GET"
wrk.path = "/api/v1/cases/A20260104-0001"
wrk.headers["Accept"] = "application/json"
wrk.headers["Accept-Language"] = "zh-CN,zh;q=0.9"
if not file then
  wrk.headers["Cookie"] = "huiyin_session=0123456789abcdef0123456789abcdef"
  return
end
local C = dofile((os.getenv("HUIYIN_BENCH_DIR") or "bench/http") .. "/common.lua")
C.auth_headers()
local numbers = C.lines(file, 200000)
local seeded = false
function request()
  if not seeded then
    math.randomseed(os.time() + math.floor(os.clock() * 1e6))
    seeded = true
  end
  return wrk.format(nil, "/api/v1/cases/" .. numbers[math.random(#numbers)])
end
setup = C.track()
function response(status) C.count(status) end
function done() C.report() end
