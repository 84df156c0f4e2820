-- wrk -t2 -c64 -d10s -s bench/http/post_echo.lua http://127.0.0.1:8080
-- A 1 KiB JSON body through the parser and the worker pool.
wrk.method = "POST"
wrk.path = "/api/v1/echo"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"title":"' .. string.rep("x", 1000) .. '"}'
