#!/usr/bin/env bash
# Seeds a benchmark database for the Open311 GET requests benchmark: the demo city (with the demo
# dispatch catalogue's categories when `huiyin demo` loads them) plus N appeal cases spread evenly
# over the last 365 days (about N/4 in the default 90-day window), 70 % closed with a published
# reply, each with its handling clock, lead units cycling through the demo organisations.
# Usage: bench/open311/seed.sh DB_URL [N=1000000]
#   DB_URL: sqlite:PATH or postgresql://...  (a fresh database/schema)
set -euo pipefail
url=${1:?usage: seed.sh sqlite:PATH|postgresql://... [N]}
n=${2:-1000000}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${HUIYIN_BIN:-$root/build/release/bin/huiyin}
key=${HUIYIN_BENCH_KEY:-/tmp/huiyin-bench.key}
common=(--db "$url" --set "security.key_file=$key" --set security.argon2=min)
cd "$root"
"$bin" migrate "${common[@]}" >/dev/null
"$bin" demo "${common[@]}" --password Demo-Passw0rd-2026 >/dev/null
now_ms=$(($(date +%s) * 1000))
day=86400000
if [[ $url == sqlite:* ]]; then
  sqlite3 "${url#sqlite:}" <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n),
  o(lo, cnt) AS (SELECT min(id), count(*) FROM orgs)
INSERT INTO cases (number, kind, type, channel, state, title, content, category, region_code,
  address, lat, lng, lead_org_id, reply, replied_at, attributes, created_at, updated_at, closed_at)
SELECT 'BQ' || printf('%010d', i), 'appeal', 'help', CASE i % 3 WHEN 0 THEN 'phone' ELSE 'app-tonghua' END,
  CASE WHEN i % 10 < 7 THEN 'closed' ELSE 'handling' END,
  '道路破损：新华大街' || i, '路口东侧有一个深坑，已有车辆爆胎，请尽快修补。编号' || i,
  CASE i % 4 WHEN 0 THEN 'urban.road' WHEN 1 THEN 'urban.streetlight' WHEN 2 THEN 'heating.not_warm' ELSE 'environment.garbage' END,
  '220502', '东昌区新华大街' || (i % 300) || '号', 41.70 + (i % 1000) / 10000.0, 125.90 + (i % 997) / 10000.0,
  o.lo + i % o.cnt,
  CASE WHEN i % 10 < 7 THEN '已处理完毕，感谢您的反映。' ELSE '' END,
  CASE WHEN i % 10 < 7 THEN $now_ms - (i * 365 * $day / $n) + 3 * $day END,
  CASE WHEN i % 5 = 0 THEN '{"@open311":{"media_url":"https://img.example.cn/' || i || '.jpg"}}' ELSE '{}' END,
  $now_ms - (i * 365 * $day / $n), $now_ms - (i * 365 * $day / $n) + 3 * $day,
  CASE WHEN i % 10 < 7 THEN $now_ms - (i * 365 * $day / $n) + 4 * $day END
FROM n, o;
INSERT INTO case_clocks (case_id, name, unit, length, start_at, stop_at, deadline_at, warn_at)
SELECT id, 'handle', 'working_days', 10, created_at, closed_at, created_at + 14 * $day, created_at + 10 * $day
FROM cases WHERE number LIKE 'BQ%';
COMMIT;
ANALYZE;
SQL
else
  psql -q "$url" <<SQL
BEGIN;
INSERT INTO cases (number, kind, type, channel, state, title, content, category, region_code,
  address, lat, lng, lead_org_id, reply, replied_at, attributes, created_at, updated_at, closed_at)
SELECT 'BQ' || lpad(i::text, 10, '0'), 'appeal', 'help', CASE i % 3 WHEN 0 THEN 'phone' ELSE 'app-tonghua' END,
  CASE WHEN i % 10 < 7 THEN 'closed' ELSE 'handling' END,
  '道路破损：新华大街' || i, '路口东侧有一个深坑，已有车辆爆胎，请尽快修补。编号' || i,
  CASE i % 4 WHEN 0 THEN 'urban.road' WHEN 1 THEN 'urban.streetlight' WHEN 2 THEN 'heating.not_warm' ELSE 'environment.garbage' END,
  '220502', '东昌区新华大街' || (i % 300) || '号', 41.70 + (i % 1000) / 10000.0, 125.90 + (i % 997) / 10000.0,
  o.lo + i % o.cnt,
  CASE WHEN i % 10 < 7 THEN '已处理完毕，感谢您的反映。' ELSE '' END,
  CASE WHEN i % 10 < 7 THEN $now_ms - (i::bigint * 365 * $day / $n) + 3 * $day END,
  CASE WHEN i % 5 = 0 THEN '{"@open311":{"media_url":"https://img.example.cn/' || i || '.jpg"}}' ELSE '{}' END,
  $now_ms - (i::bigint * 365 * $day / $n), $now_ms - (i::bigint * 365 * $day / $n) + 3 * $day,
  CASE WHEN i % 10 < 7 THEN $now_ms - (i::bigint * 365 * $day / $n) + 4 * $day END
FROM generate_series(1, $n) AS i, (SELECT min(id) AS lo, count(*) AS cnt FROM orgs) o;
INSERT INTO case_clocks (case_id, name, unit, length, start_at, stop_at, deadline_at, warn_at)
SELECT id, 'handle', 'working_days', 10, created_at, closed_at, created_at + 14 * $day, created_at + 10 * $day
FROM cases WHERE number LIKE 'BQ%';
COMMIT;
ANALYZE;
SQL
fi
echo "seeded $n appeal cases into $url"
