-- wrk -t2 -c64 -d10s -s bench/http/healthz.lua http://127.0.0.1:8080
-- The inline route (runs on the io thread): the ceiling of the connection layer.
wrk.method = "GET"
wrk.path = "/healthz"
