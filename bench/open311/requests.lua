-- wrk -t1 -c1 -d30s --latency -s bench/open311/requests.lua http://127.0.0.1:8080
-- GET /open311/v2/requests.json with no arguments: the standard's default window (the last 90
-- days) and limit (1,000 requests), newest first. Set O311_QUERY to add arguments, e.g.
-- O311_QUERY='status=open&service_code=urban.road'; O311_FORMAT=xml for XML. wrk reports non-2xx answers.
local query = os.getenv("O311_QUERY")
wrk.method = "GET"
wrk.path = "/open311/v2/requests." .. (os.getenv("O311_FORMAT") or "json") .. ((query and query ~= "") and ("?" .. query) or "")

function done(summary, latency, requests)
  io.write(string.format("path %s\n", wrk.path))
  io.write(string.format("p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms  (%d requests)\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.requests))
end
