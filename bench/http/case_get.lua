-- wrk -t2 -c64 -d10s -s bench/http/case_get.lua http://127.0.0.1:8080
-- A worker-pool JSON route (GET /api/v1/cases/{number}) with browser-like headers.
wrk.method = "GET"
wrk.path = "/api/v1/cases/A20260104-0001"
wrk.headers["Accept"] = "application/json"
wrk.headers["Accept-Language"] = "zh-CN,zh;q=0.9"
wrk.headers["Cookie"] = "huiyin_session=0123456789abcdef0123456789abcdef"
