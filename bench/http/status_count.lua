-- wrk -t2 -c64 -d10s -s bench/http/status_count.lua http://127.0.0.1:8080/api/v1/cases/A1
-- Counts responses by status (a 503 from a full worker queue shows up here).
local counts = {}
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  statuses = {}
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for k, v in pairs(s) do counts[k] = (counts[k] or 0) + v end
  end
  for k, v in pairs(counts) do io.write(string.format("status %d: %d\n", k, v)) end
end
