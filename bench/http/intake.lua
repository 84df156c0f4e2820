-- HUIYIN_COOKIE=... HUIYIN_CSRF=... wrk -t2 -c64 -d20s --latency -s bench/http/intake.lua URL
-- Case intake as agent1: POST /api/v1/cases with a unique Idempotency-Key per request (thread id
-- + counter + a run prefix), Chinese title and text, a random region. Every 201 is durable before
-- it is sent (database.synchronous=full, group commit).
local C = dofile((os.getenv("HUIYIN_BENCH_DIR") or "bench/http") .. "/common.lua")
C.auth_headers()
wrk.method = "POST"
wrk.path = "/api/v1/cases"
wrk.headers["Content-Type"] = "application/json"
local run = os.getenv("HUIYIN_RUN") or tostring(os.time())
local ids = 0
setup = C.track(function(thread)
  ids = ids + 1
  thread:set("tid", ids)
end)
local regions = {"220502", "220503", "220521", "220523", "220524", "220581", "220582"}
local issues = {"夜间施工噪音扰民", "路灯不亮", "供暖温度不达标", "自来水浑浊", "道路坑洼积水",
                "违章占道经营", "垃圾清运不及时", "物业服务不到位"}
local types = {"complaint", "help", "enquiry", "suggestion", "report", "praise"}
local n = 0
function request()
  n = n + 1
  local issue = issues[(n % #issues) + 1]
  local body = string.format(
    '{"type":"%s","channel":"phone","title":"新站街道%s","content":"市民来电反映:新站街道光明小区附近%s,请相关部门尽快核实处理并答复。","region_code":"%s","requester":{"name":"张晓明","phone":"138%08d"}}',
    types[(n % #types) + 1], issue, issue, regions[(n % #regions) + 1], n % 100000000)
  wrk.headers["Idempotency-Key"] = string.format("%s-%d-%d", run, tid or 0, n)
  return wrk.format(nil, nil, nil, body)
end
function response(status) C.count(status) end
function done() C.report() end
