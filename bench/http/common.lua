-- Shared helpers for the authenticated wrk scripts (loaded with dofile by the others).
-- Env: HUIYIN_COOKIE (the huiyin_session value), HUIYIN_CSRF (the csrf_token from the login
-- answer; scripts/bench.sh signs in with curl and exports both).
local M = {}
function M.auth_headers()
  local cookie = os.getenv("HUIYIN_COOKIE")
  if not cookie or cookie == "" then
    io.stderr:write("set HUIYIN_COOKIE (and HUIYIN_CSRF for writes)\n")
    os.exit(2)
  end
  wrk.headers["Cookie"] = "huiyin_session=" .. cookie
  wrk.headers["Accept"] = "application/json"
  local csrf = os.getenv("HUIYIN_CSRF")
  if csrf and csrf ~= "" then wrk.headers["X-CSRF-Token"] = csrf end
end
-- Lines of a file (bounded: at most `limit` lines).
function M.lines(path, limit)
  local out = {}
  local f = io.open(path, "r")
  if not f then
    io.stderr:write("cannot open " .. tostring(path) .. "\n")
    os.exit(2)
  end
  for line in f:lines() do
    if #out >= limit then break end
    if line ~= "" then out[#out + 1] = line end
  end
  f:close()
  return out
end
-- Percent-encodes a query value (UTF-8 bytes).
function M.urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
-- Status counts across threads, printed at the end (non-2xx responses must be zero).
local threads = {}
function M.track(setup_fn)
  return function(thread)
    table.insert(threads, thread)
    if setup_fn then setup_fn(thread) end
  end
end
function M.count(status)
  statuses = statuses or {}
  statuses[status] = (statuses[status] or 0) + 1
end
function M.report()
  local counts = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    if s then for k, v in pairs(s) do counts[k] = (counts[k] or 0) + v end end
  end
  for k, v in pairs(counts) do io.write(string.format("status %d: %d\n", k, v)) end
end
return M
