-- HUIYIN_COOKIE=... HUIYIN_CSRF=... HUIYIN_ITEM=code wrk -t2 -c64 -d10s --latency -s bench/http/application_intake.lua URL
-- Applications (办件) taken in at the window as clerk1: POST /api/v1/cases with kind application
-- for a published catalogue item, a unique Idempotency-Key per request. Durable before the 201.
local C = dofile((os.getenv("HUIYIN_BENCH_DIR") or "bench/http") .. "/common.lua")
C.auth_headers()
wrk.method = "POST"
wrk.path = "/api/v1/cases"
wrk.headers["Content-Type"] = "application/json"
local run = os.getenv("HUIYIN_RUN") or tostring(os.time())
local item = os.getenv("HUIYIN_ITEM")
local ids = 0
setup = C.track(function(thread)
  ids = ids + 1
  thread:set("tid", ids)
end)
local n = 0
function request()
  n = n + 1
  local body = string.format(
    '{"kind":"application","type":"new","channel":"visit","category":"%s","title":"通化示范商贸有限公司申请","content":"窗口受理：材料齐全","requester":{"name":"李明","phone":"139%08d"}}',
    item, n % 100000000)
  wrk.headers["Idempotency-Key"] = string.format("%s-%d-%d", run, tid or 0, n)
  return wrk.format(nil, nil, nil, body)
end
function response(status) C.count(status) end
function done() C.report() end
