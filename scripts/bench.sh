#!/usr/bin/env bash
# Builds the benchmark targets, runs the benchmark suite and appends a dated table of figures to
# docs/benchmarks.md (command, date, machine: nproc, CPU model, load average at each figure).
#
#   scripts/bench.sh [micro|http|intake|data|recompute|catalogue|pg|scaleout|all]...   (default: micro http intake)
#
#   micro      Google Benchmark: calendar_bench, workflow_bench, json_bench
#   http       full huiyin on a small SQLite database: /healthz, GET /api/v1/auth/me, 2,000 idle
#              keep-alive connections, idle RSS; plus bench/http/http_bench_server (HTTP layer alone)
#   intake     intake over HTTP on a small SQLite database (cases/s, group-commit batch size)
#   data       issue 4 on SQLite at $HUIYIN_BENCH_CASES cases (default 1,000,000): generate with
#              bench/gen_cases, then intake, case page, queues, search, indicators, RSS
#   recompute  issue 3: $HUIYIN_BENCH_CASES running provisional clocks, time `huiyin calendar
#              import` of a 2027 calendar (SQLite)
#   pg         issue 4 on PostgreSQL (scripts/pg.sh starts a throwaway cluster, stopped after)
#   scaleout   issue 8: the PostgreSQL data behind nginx (installed from Debian when missing) with
#              two `huiyin serve` processes, then one: case reads and intake
#   catalogue  issue 7: 5,000 published catalogue items (bench/seed_services.py), service guide
#              search p99, application intake at the window (SQLite)
#   all        everything above
#
# Environment: HUIYIN_BENCH_DIR (work dir, default /tmp/huiyin-bench; generated databases are kept
# there and reused: delete it or set HUIYIN_BENCH_FRESH=1 to regenerate), HUIYIN_BENCH_CASES
# (default 1000000; the optional 10M run is HUIYIN_BENCH_CASES=10000000 scripts/bench.sh data,
# ~25 GB of disk and most of an hour), HUIYIN_BENCH_SECONDS (wrk duration, default 10),
# HUIYIN_BENCH_PORT (default 18099), HUIYIN_BENCH_PG_PORT (default 56999), HUIYIN_BENCH_NO_DOC=1
# (print only). Loopback only; every wait is bounded; servers it starts are stopped by pid.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${HUIYIN_BENCH_BUILD:-$ROOT/build/bench}
BIN=$BUILD/bin
WORK=${HUIYIN_BENCH_DIR:-/tmp/huiyin-bench}
CASES=${HUIYIN_BENCH_CASES:-1000000}
SECS=${HUIYIN_BENCH_SECONDS:-10}
PORT=${HUIYIN_BENCH_PORT:-18099}
PGPORT=${HUIYIN_BENCH_PG_PORT:-56999}
PASS=Demo-Passw0rd-2026
URL=http://127.0.0.1:$PORT
NOW_ISO=${HUIYIN_BENCH_NOW:-}
export HUIYIN_BENCH_DIR_LUA=$ROOT/bench/http
export HUIYIN_BENCH_DIR=$ROOT/bench/http  # read by the Lua scripts (dofile common.lua)
mkdir -p "$WORK"
RESULTS=$WORK/results.$$.tsv
: >"$RESULTS"
SERVER_PID=""
PG_STARTED=""
CMDLINE="scripts/bench.sh $*"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
# record ISSUE FIGURE VALUE TARGET MET NOTES
record() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$(load)" "$6" >>"$RESULTS"
  log "$1 | $2 = $3 (target $4: $5) load $(load) $6"
}
# met VALUE OP LIMIT  -> yes/no (numeric)
met() { awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN{ if (v == "" ) {print "n/a"; exit}
  r = (op == ">=") ? (v >= l) : (v <= l); print (r ? "yes" : "no") }'; }

cleanup() {
  stop_server
  if [[ -n $PG_STARTED ]]; then "$ROOT/scripts/pg.sh" stop "$WORK/pg" >/dev/null 2>&1 || true; fi
  if [[ -s $RESULTS && -z ${HUIYIN_BENCH_NO_DOC:-} ]]; then write_doc; fi
  rm -f "$RESULTS"
}
trap cleanup EXIT

build() {
  log "building bench targets in $BUILD"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHUIYIN_BUILD_BENCH=ON >/dev/null
  cmake --build "$BUILD" -j2 --target huiyin calendar_bench workflow_bench json_bench \
    http_bench_server gen_cases
}

# ---- server helpers -----------------------------------------------------------------------------
common_args() { echo "--db $1 --set security.key_file=$2/k --set security.argon2=min"; }

prepare_db() {  # DB_URL DIR: migrate + demo (idempotent)
  # shellcheck disable=SC2046
  "$BIN/huiyin" migrate $(common_args "$1" "$2") >/dev/null
  # shellcheck disable=SC2046
  "$BIN/huiyin" demo $(common_args "$1" "$2") --password "$PASS" >/dev/null
}

start_server() {  # DB_URL DIR [extra --set ...]
  local db=$1 dir=$2
  shift 2
  # Pending migrations first, in their own process: a long one (0014 rewrites every case row)
  # would otherwise count in the server's RSS and delay its readiness.
  # shellcheck disable=SC2046
  "$BIN/huiyin" migrate $(common_args "$db" "$dir") >"$dir/migrate.log" 2>&1
  # shellcheck disable=SC2046
  "$BIN/huiyin" serve $(common_args "$db" "$dir") --set server.port="$PORT" \
    --set server.access_log=false --set log.level=warn "$@" >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    if curl -fs -o /dev/null "$URL/readyz"; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then cat "$dir/server.log" >&2; return 1; fi
    sleep 0.1
  done
  log "server did not become ready in 30 s"
  return 1
}

stop_server() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}

# login USER -> exports HUIYIN_COOKIE and HUIYIN_CSRF
login() {
  local jar body
  jar=$(mktemp)
  body=""
  for _ in 1 2 3 4 5; do  # a server still busy with the previous run may answer 503 for a while
    body=$(curl -fs --max-time 60 -c "$jar" -H 'Content-Type: application/json' \
      -d "{\"username\":\"$1\",\"password\":\"$PASS\"}" "$URL/api/v1/auth/login") && break
    sleep 5
  done
  [[ -n $body ]] || { log "cannot sign in as $1"; return 1; }
  HUIYIN_CSRF=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])' <<<"$body")
  HUIYIN_COOKIE=$(awk '$6 == "huiyin_session" {print $7}' "$jar")
  rm -f "$jar"
  export HUIYIN_CSRF HUIYIN_COOKIE
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
hwm_mb() { awk '/^VmHWM/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
metric() { curl -fs "$URL/metrics" | awk -v m="$1" '$1 == m {print $2}' | head -1; }

# wrk_run NAME CONNS SCRIPT [URL] -> sets RPS P50 P99 (ms) REQS NON2XX CPU_US (server CPU/request)
wrk_run() {
  local name=$1 conns=$2 script=$3 url=${4:-$URL} out t0 t1
  out=$WORK/wrk.$name.txt
  t0=$(cpu_ticks "$SERVER_PID")
  wrk -t2 -c"$conns" -d"${SECS}s" --timeout 10s --latency -s "$script" "$url" >"$out" 2>&1 || true
  t1=$(cpu_ticks "$SERVER_PID")
  RPS=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$out")
  REQS=$(awk '/requests in/ {print $1}' "$out")
  P50=$(awk '$1 == "50%" {print $2}' "$out" | to_ms)
  P99=$(awk '$1 == "99%" {print $2}' "$out" | to_ms)
  NON2XX=$(awk '/Non-2xx/ {print $NF}' "$out")
  NON2XX=${NON2XX:-0}
  CPU_US=$(awk -v d=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v n="${REQS:-0}" \
    'BEGIN { if (n > 0) printf "%.0f", d / hz * 1e6 / n; else print "" }')
}
to_ms() { awk '{ v = $1; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) }
  else if (v ~ /m$/) { sub(/m/, "", v); v *= 60000 } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }
  printf "%.2f", v }'; }

# ---- micro --------------------------------------------------------------------------------------
run_micro() {
  for b in calendar_bench workflow_bench json_bench search_bench; do
    log "running $b"
    "$BIN/$b" --benchmark_min_time=0.5 --benchmark_repetitions=3 \
      --benchmark_report_aggregates_only=true --benchmark_format=csv 2>/dev/null |
      awk -F, '/_median"?,/ { gsub(/"/, "", $1); name = $1; sub(/_median$/, "", name);
        ips = $7; if (ips == "") ips = 1e9 / $4;
        printf "%s\t%.3g\n", name, ips }' >"$WORK/micro.$b.tsv"
    while IFS=$'\t' read -r name ips; do
      record "micro" "$b $name (calls/s, median of 3)" "$(awk -v v="$ips" 'BEGIN{ if (v >= 1e6) printf "%.1f M/s", v/1e6; else printf "%.0f k/s", v/1e3 }')" "-" "-" "$BIN/$b"
    done <"$WORK/micro.$b.tsv"
  done
}

# ---- http (small database) ----------------------------------------------------------------------
small_db() {
  local dir=$WORK/small
  mkdir -p "$dir"
  if [[ ! -f $dir/h.db ]]; then prepare_db "sqlite:$dir/h.db" "$dir"; fi
  echo "$dir"
}

run_http() {
  local dir
  dir=$(small_db)
  start_server "sqlite:$dir/h.db" "$dir"
  sleep 1
  record "2" "huiyin idle RSS after start (MB)" "$(rss_mb "$SERVER_PID")" "<= 30" \
    "$(met "$(rss_mb "$SERVER_PID")" "<=" 30)" "ps -o rss / VmRSS, nothing served yet"
  wrk_run healthz 64 "$ROOT/bench/http/healthz.lua"
  record "2" "GET /healthz req/s (wrk -t2 -c64, huiyin)" "$RPS" ">= 40000" "$(met "$RPS" ">=" 40000)" \
    "p99 ${P99} ms, server CPU ${CPU_US} us/req, VmHWM $(hwm_mb "$SERVER_PID") MB"
  login agent1
  wrk_run me 64 "$ROOT/bench/http/me.lua"
  record "2" "GET /api/v1/auth/me req/s (signed in)" "$RPS" ">= 15000" "$(met "$RPS" ">=" 15000)" \
    "p99 ${P99} ms, non-2xx ${NON2XX}, server CPU ${CPU_US} us/req, VmHWM $(hwm_mb "$SERVER_PID") MB"
  # 2,000 idle keep-alive connections held open while wrk runs.
  python3 "$ROOT/bench/http/idle_connections.py" --port "$PORT" --count 2000 --hold $((SECS * 2 + 15)) \
    >"$WORK/idle.txt" 2>&1 &
  local idle=$!
  sleep 5
  local open
  open=$(metric huiyin_http_connections_open)
  record "2" "RSS with 2,000 idle keep-alive connections (MB)" "$(rss_mb "$SERVER_PID")" "<= 30" \
    "$(met "$(rss_mb "$SERVER_PID")" "<=" 30)" "connections_open=${open}"
  wrk_run healthz_idle 64 "$ROOT/bench/http/healthz.lua"
  record "2" "GET /healthz req/s with 2,000 idle connections" "$RPS" ">= 40000" "$(met "$RPS" ">=" 40000)" \
    "p99 ${P99} ms, RSS $(rss_mb "$SERVER_PID") MB"
  wrk_run me_idle 64 "$ROOT/bench/http/me.lua"
  record "2" "GET /api/v1/auth/me req/s with 2,000 idle connections" "$RPS" ">= 15000" \
    "$(met "$RPS" ">=" 15000)" "p99 ${P99} ms, non-2xx ${NON2XX}"
  wait "$idle" 2>/dev/null || true  # ends by itself after --hold (bounded)
  local closed
  closed=$(awk -F': ' '/closed by the server/ {print $2}' "$WORK/idle.txt")
  record "2" "idle connections closed by the server while held (of 2,000)" "${closed:-?}" "0" \
    "$([[ ${closed:-x} == 0 ]] && echo yes || echo no)" "$(head -1 "$WORK/idle.txt")"
  record "2" "huiyin peak RSS, VmHWM (MB)" "$(hwm_mb "$SERVER_PID")" "<= 30" \
    "$(met "$(hwm_mb "$SERVER_PID")" "<=" 30)" "after the runs above"
  stop_server
  # The HTTP layer alone, for comparison with the full server.
  "$BIN/http_bench_server" "$PORT" >"$WORK/hbs.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 50); do curl -fs -o /dev/null "$URL/healthz" && break; sleep 0.1; done
  wrk_run hbs_healthz 64 "$ROOT/bench/http/healthz.lua"
  record "2" "http_bench_server /healthz req/s (HTTP layer, no DB)" "$RPS" "-" "-" \
    "server CPU ${CPU_US} us/req, RSS $(rss_mb "$SERVER_PID") MB"
  HUIYIN_CASES="" wrk_run hbs_case 64 "$ROOT/bench/http/case_get.lua"
  record "2" "http_bench_server worker JSON req/s" "$RPS" "-" "-" "server CPU ${CPU_US} us/req"
  stop_server
}

# intake_run LABEL DB_URL DIR -> records intake figures on a running server
intake_run() {
  local label=$1
  login agent1
  # Warm up first (5 s, not recorded): just after a start the pages intake writes to are not yet
  # cached and the first seconds cost ~3x the CPU per case of the steady state measured here.
  HUIYIN_RUN="w$RANDOM$$" wrk -t2 -c64 -d5s -s "$ROOT/bench/http/intake.lua" "$URL" >/dev/null 2>&1 || true
  local c0 b0
  c0=$(metric huiyin_db_commits_total)
  b0=$(metric huiyin_db_batches_total)
  HUIYIN_RUN="r$RANDOM$$" wrk_run "intake_$label" 64 "$ROOT/bench/http/intake.lua"
  local c1 b1
  c1=$(metric huiyin_db_commits_total)
  b1=$(metric huiyin_db_batches_total)
  local created
  created=$(awk '/^status 201:/ {print $3}' "$WORK/wrk.intake_$label.txt")
  local batch
  batch=$(awk -v c=$((${c1:-0} - ${c0:-0})) -v b=$((${b1:-0} - ${b0:-0})) \
    'BEGIN{ if (b > 0) printf "%.1f", c / b; else print "n/a" }')
  record "4" "$label: intake POST /api/v1/cases cases/s (durable)" "$RPS" ">= 5000" \
    "$(met "$RPS" ">=" 5000)" "201s ${created:-0}, non-2xx ${NON2XX}, p99 ${P99} ms, mean group-commit batch ${batch} (commits/batches), server CPU ${CPU_US} us/req, VmHWM $(hwm_mb "$SERVER_PID") MB"
}

run_intake() {
  local dir
  dir=$(small_db)
  start_server "sqlite:$dir/h.db" "$dir"
  intake_run "SQLite small DB, synchronous=full" "sqlite:$dir/h.db" "$dir"
  stop_server
}

# ---- data (large database) ----------------------------------------------------------------------
generate() {  # DB_URL DIR PROFILE COUNT
  local db=$1 dir=$2 profile=$3 count=$4
  prepare_db "$db" "$dir"
  local t0 t1 out
  t0=$(date +%s.%N)
  out=$("$BIN/gen_cases" --db "$db" --key-file "$dir/k" --count "$count" --profile "$profile" \
    ${NOW_ISO:+--now "$NOW_ISO"} 2>"$dir/gen.log")
  t1=$(date +%s.%N)
  echo "$out" >"$dir/gen.txt"
  log "$out"
  record "data" "gen_cases $profile $count cases ($(echo "$db" | cut -d: -f1))" \
    "$(echo "$out" | grep -Eo '[0-9]+ rows/s' | head -1)" "-" "-" \
    "$(echo "$out" | head -1 | grep -Eo '[0-9]+ cases/s'), $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.0f s", b-a}')"
}

# Random case numbers and the query paths for the read tests.
make_inputs() {  # LABEL DB_URL
  local label=$1 db=$2
  if [[ $db == sqlite:* ]]; then
    sqlite3 "${db#sqlite:}" "SELECT number FROM cases WHERE id % 10 = 3 LIMIT 100000" >"$WORK/numbers.$label.txt"
  else
    psql "$db" -qAt -c "SELECT number FROM cases WHERE id % 10 = 3 LIMIT 100000" >"$WORK/numbers.$label.txt"
  fi
  python3 - "$WORK" <<'EOF'
import sys, urllib.parse as u
w = sys.argv[1]
def write(name, paths):
    open(f"{w}/paths.{name}.txt", "w").write("\n".join(paths) + "\n")
for q in ["overdue", "due_soon", "to_sign_for", "all"]:
    write(q, [f"/api/v1/cases?queue={q}&limit=50"])
long_terms = ["路灯不亮", "供暖温度", "噪音扰民", "新站街道", "自来水浑浊", "物业服务", "违章占道", "井盖缺失"]
short_terms = ["路灯", "供暖", "噪音", "井盖", "油烟", "物业", "停车", "工资"]
write("search3", ["/api/v1/cases?q=" + u.quote(t) + "&limit=50" for t in long_terms])
write("search2", ["/api/v1/cases?q=" + u.quote(t) + "&limit=50" for t in short_terms])
write("indicators", ["/api/v1/indicators?from=" + u.quote("2026-10-01T00:00:00+08:00", safe="") +
                     "&to=" + u.quote("2026-11-01T00:00:00+08:00", safe="")])
EOF
}

# read_suite LABEL (server running, inputs made)
read_suite() {  # LABEL KEY (numbers.KEY.txt from make_inputs)
  local label=$1 key=$2
  login dispatcher1
  HUIYIN_CASES=$WORK/numbers.$key.txt wrk_run "case_$label" 64 "$ROOT/bench/http/case_get.lua"
  record "4" "$label: case page GET /api/v1/cases/{n} req/s (dispatcher1)" "$RPS" ">= 10000" \
    "$(met "$RPS" ">=" 10000)" "p99 ${P99} ms, non-2xx ${NON2XX}, server CPU ${CPU_US} us/req, RSS $(rss_mb "$SERVER_PID") MB, VmHWM $(hwm_mb "$SERVER_PID") MB"
  local user q
  for user in dispatcher1 zjhandler1; do
    login "$user"
    for q in overdue due_soon to_sign_for all; do
      HUIYIN_PATHS=$WORK/paths.$q.txt wrk_run "queue_${label}_${user}_$q" 8 "$ROOT/bench/http/paths.lua"
      record "4" "$label: queue=$q p99 ms ($user)" "$P99" "<= 20" "$(met "$P99" "<=" 20)" \
        "${RPS} req/s at 8 connections, p50 ${P50} ms, non-2xx ${NON2XX}, server CPU ${CPU_US} us/req"
    done
  done
  login dispatcher1
  for q in search3 search2; do
    HUIYIN_PATHS=$WORK/paths.$q.txt wrk_run "${q}_$label" 4 "$ROOT/bench/http/paths.lua"
    record "4" "$label: search ${q#search}$([[ $q == search3 ]] && echo '+')-char terms p99 ms" "$P99" "<= 50" \
      "$(met "$P99" "<=" 50)" "${RPS} req/s at 4 connections, p50 ${P50} ms, non-2xx ${NON2XX}, server CPU ${CPU_US} us/req"
  done
  login leader1
  HUIYIN_PATHS=$WORK/paths.indicators.txt wrk_run "indicators_$label" 2 "$ROOT/bench/http/paths.lua"
  record "4" "$label: indicators, all units, one month, p99 ms" "$P99" "<= 200" "$(met "$P99" "<=" 200)" \
    "p50 ${P50} ms, ${RPS} req/s at 2 connections, non-2xx ${NON2XX}"
  record "4" "$label: server RSS after the reads (MB)" "$(rss_mb "$SERVER_PID")" "<= 300" \
    "$(met "$(rss_mb "$SERVER_PID")" "<=" 300)" "VmHWM $(hwm_mb "$SERVER_PID") MB"
}

run_data() {
  local dir=$WORK/sqlite-$CASES
  if [[ -n ${HUIYIN_BENCH_FRESH:-} ]]; then rm -rf "$dir"; fi
  mkdir -p "$dir"
  if [[ ! -f $dir/gen.txt ]]; then generate "sqlite:$dir/h.db" "$dir" mixed "$CASES"; fi
  make_inputs "sqlite$CASES" "sqlite:$dir/h.db"
  start_server "sqlite:$dir/h.db" "$dir"
  read_suite "SQLite $CASES" "sqlite$CASES"
  intake_run "SQLite $CASES cases, synchronous=full" "sqlite:$dir/h.db" "$dir"
  record "4" "SQLite $CASES: server peak RSS, VmHWM (MB)" "$(hwm_mb "$SERVER_PID")" "<= 300" \
    "$(met "$(hwm_mb "$SERVER_PID")" "<=" 300)" "database file $(du -sh "$dir/h.db" | cut -f1)"
  stop_server
  trim_cases "$dir/h.db" "$CASES"
}

# trim_cases DB N: removes the cases an intake run added beyond the generated N (ids > N) with
# their clocks, events and index entries, so that every run reads the same data (a pile of new
# 'received' cases on top of the newest would slow the state queues that walk by update time).
trim_cases() {
  log "removing the cases intake added beyond $2"
  sqlite3 "$1" <<EOF
BEGIN;
INSERT INTO cases_fts (cases_fts, rowid, title, content, reply)
  SELECT 'delete', id, title, content, reply FROM cases WHERE id > $2;
DELETE FROM clock_pauses WHERE clock_id IN (SELECT id FROM case_clocks WHERE case_id > $2);
DELETE FROM clock_extensions WHERE clock_id IN (SELECT id FROM case_clocks WHERE case_id > $2);
DELETE FROM case_clocks WHERE case_id > $2;
DELETE FROM case_events WHERE case_id > $2;
DELETE FROM case_co_orgs WHERE case_id > $2;
DELETE FROM case_ratings WHERE case_id > $2;
DELETE FROM cases WHERE id > $2;
COMMIT;
EOF
}

run_catalogue() {
  local dir=$WORK/catalogue-5000
  if [[ -n ${HUIYIN_BENCH_FRESH:-} ]]; then rm -rf "$dir"; fi
  mkdir -p "$dir"
  if [[ ! -f $dir/h.db ]]; then prepare_db "sqlite:$dir/h.db" "$dir"; fi
  start_server "sqlite:$dir/h.db" "$dir"
  if [[ ! -f $dir/seeded.txt ]]; then
    login approver1
    python3 "$ROOT/bench/seed_services.py" "$URL" 5000 >"$dir/seeded.txt"
  fi
  log "$(cat "$dir/seeded.txt")"
  python3 - "$WORK" <<'EOF2'
import sys, urllib.parse as u
terms = ["许可", "登记", "食品经营", "施工许可", "备案", "护照", "结婚", "社会保障卡", "排水", "第1234号"]
paths = [f"/api/v1/services?q={u.quote(t)}&limit=20" for t in terms]
paths += [f"/api/v1/services?life_event={e}&limit=20" for e in ["business", "housing", "marriage", "birth"]]
paths += ["/api/v1/services?org=tonghua.scjg&limit=20", "/api/v1/services?level=county&limit=20",
          "/api/v1/services?q=%E8%AE%B8%E5%8F%AF&level=city&life_event=business&limit=20"]
open(f"{sys.argv[1]}/paths.services.txt", "w").write("\n".join(paths) + "\n")
EOF2
  login citizen1
  HUIYIN_PATHS=$WORK/paths.services.txt wrk_run "services_search" 16 "$ROOT/bench/http/paths.lua"
  record "7" "service guide search, 5,000 published items, p99 ms" "$P99" "<= 20" "$(met "$P99" "<=" 20)" \
    "$RPS req/s, p50 ${P50} ms, non-2xx ${NON2XX}, server CPU ${CPU_US} us/req (as citizen1; q, life_event, org, level)"
  login clerk1
  HUIYIN_ITEM=000111003000-220500000000-11220500032412309B-01 HUIYIN_RUN="a$RANDOM$$" \
    wrk_run "application_intake" 64 "$ROOT/bench/http/application_intake.lua"
  record "7" "application intake at the window (POST /api/v1/cases kind application) cases/s" "$RPS" ">= 2000" \
    "$(met "$RPS" ">=" 2000)" "durable (synchronous=full, group commit); p99 ${P99} ms, non-2xx ${NON2XX}, server CPU ${CPU_US} us/req"
  stop_server
}

run_recompute() {
  local dir=$WORK/prov-$CASES
  if [[ -n ${HUIYIN_BENCH_FRESH:-} ]]; then rm -rf "$dir"; fi
  mkdir -p "$dir"
  if [[ ! -f $dir/gen.txt ]]; then
    generate "sqlite:$dir/h.db" "$dir" provisional "$CASES"
    cp "$dir/h.db" "$dir/h.db.orig"  # a re-run starts again from provisional clocks
  else
    cp "$dir/h.db.orig" "$dir/h.db"
    rm -f "$dir/h.db-wal" "$dir/h.db-shm"
  fi
  # A 2027 calendar (the official one published in Nov 2026, from chinese-days).
  cat >"$dir/cal2027.csv" <<'EOF'
# years: 2027
date,kind,name
2027-01-01,off,元旦
2027-02-06,off,春节
2027-02-07,off,春节
2027-02-08,off,春节
2027-02-09,off,春节
2027-02-10,off,春节
2027-02-11,off,春节
2027-02-12,off,春节
2027-02-13,off,春节
2027-02-14,work,春节
2027-02-20,work,春节
2027-04-05,off,清明节
2027-05-01,off,劳动节
2027-05-02,off,劳动节
2027-05-03,off,劳动节
2027-05-04,off,劳动节
2027-05-05,off,劳动节
2027-06-09,off,端午节
2027-09-15,off,中秋节
2027-10-01,off,国庆节
2027-10-02,off,国庆节
2027-10-03,off,国庆节
2027-10-04,off,国庆节
2027-10-05,off,国庆节
2027-10-06,off,国庆节
2027-10-07,off,国庆节
EOF
  # The worst case: the same year with every weekday of 4-29 January off (fictional), so that
  # every deadline moves and is written with its timeline event.
  { sed -n '1,2p' "$dir/cal2027.csv"; sed '1,2d' "$dir/cal2027.csv"
    python3 -c "
import datetime
d = datetime.date(2027, 1, 4)
while d <= datetime.date(2027, 1, 29):
    if d.weekday() < 5: print(f'{d},off,测试停工')
    d += datetime.timedelta(days=1)"; } >"$dir/calworst.csv"
  recompute_once "$dir" cal2027.csv "the real 2027 calendar"
  cp "$dir/h.db.orig" "$dir/h.db"
  rm -f "$dir/h.db-wal" "$dir/h.db-shm"
  recompute_once "$dir" calworst.csv "worst case, every deadline moves"
}

recompute_once() {  # DIR FILE LABEL
  local dir=$1 file=$2 label=$3 before t0 t1 out secs
  # shellcheck disable=SC2046
  "$BIN/huiyin" migrate $(common_args "sqlite:$dir/h.db" "$dir") >/dev/null
  before=$(sqlite3 "$dir/h.db" "SELECT count(*) FROM case_clocks WHERE stop_at IS NULL AND deadline_at >= $(date -d '2027-01-01T00:00:00+08:00' +%s)000")
  t0=$(date +%s.%N)
  # shellcheck disable=SC2046
  out=$(/usr/bin/time -v "$BIN/huiyin" calendar import "$dir/$file" $(common_args "sqlite:$dir/h.db" "$dir") 2>"$dir/import.time")
  t1=$(date +%s.%N)
  echo "$out" >"$dir/import.txt"
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')
  record "3" "recompute $before provisional clocks: huiyin calendar import 2027, $label (s)" "$secs" "< 10" \
    "$(met "$secs" "<=" 10)" "$(echo "$out" | tr '\n' ' ' | cut -c1-160); peak RSS $(awk '/Maximum resident/ {printf "%.0f MB", $6/1024}' "$dir/import.time"), CPU user+sys $(awk '/User time/ {u=$4} /System time/ {s=$4} END {printf "%.1f s", u+s}' "$dir/import.time")"
}

run_pg() {
  local dir=$WORK/pg-$CASES
  if [[ -n ${HUIYIN_BENCH_FRESH:-} ]]; then rm -rf "$dir"; fi
  mkdir -p "$dir"
  local db=postgresql://postgres@127.0.0.1:$PGPORT/huiyin_test
  if psql "$db" -qAt -c 'SELECT 1' >/dev/null 2>&1; then
    log "using the PostgreSQL cluster already running on port $PGPORT (left running)"
  else
    "$ROOT/scripts/pg.sh" start "$WORK/pg" "$PGPORT" >"$WORK/pg.start.log" 2>&1
    PG_STARTED=1  # stopped again on exit
  fi
  if [[ ! -f $dir/gen.txt ]]; then generate "$db" "$dir" mixed "$CASES"; fi
  make_inputs "pg$CASES" "$db"
  start_server "$db" "$dir"
  read_suite "PostgreSQL $CASES" "pg$CASES"
  intake_run "PostgreSQL $CASES cases" "$db" "$dir"
  record "4" "PostgreSQL $CASES: server peak RSS, VmHWM (MB)" "$(hwm_mb "$SERVER_PID")" "<= 300" \
    "$(met "$(hwm_mb "$SERVER_PID")" "<=" 300)" ""
  stop_server
}

# ---- scale-out (issue 8): two servers on one PostgreSQL behind nginx ----------------------------
# Case reads and intake through nginx (loopback) with two `huiyin serve` processes upstream, then
# the same with one: the proxy's cost is in both. On 2 cores shared with wrk and nginx the second
# process cannot add CPU; the figure shows what the proxy and a second process cost or give here.
nginx_conf() {  # DIR UPSTREAM_PORT...
  local dir=$1
  shift
  {
    printf 'worker_processes 1;\npid %s/nginx.pid;\nerror_log %s/error.log warn;\n' "$dir" "$dir"
    printf 'events { worker_connections 4096; }\nhttp {\n  access_log off;\n'
    printf '  client_body_temp_path %s/tmp; proxy_temp_path %s/tmp;\n' "$dir" "$dir"
    printf '  upstream huiyin {\n'
    for port in "$@"; do printf '    server 127.0.0.1:%s;\n' "$port"; done
    printf '    keepalive 64;\n  }\n  server {\n    listen 127.0.0.1:%s;\n' "$PORT"
    printf '    client_max_body_size 11m;\n    location / {\n      proxy_pass http://huiyin;\n'
    printf '      proxy_http_version 1.1;\n      proxy_set_header Connection "";\n'
    printf '      proxy_set_header Host $host;\n      proxy_set_header X-Real-IP $remote_addr;\n'
    printf '    }\n  }\n}\n'
  } >"$dir/nginx.conf"
}

both_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(cpu_ticks "$p"))); done; echo "$t"; }
both_hwm() { local p; for p in "$@"; do hwm_mb "$p"; echo; done | awk '{ s += $1 } END { printf "%.1f", s }'; }
per_request() {  # TICKS_BEFORE TICKS_AFTER (uses REQS from the last wrk_run)
  awk -v d=$(($2 - $1)) -v hz="$(getconf CLK_TCK)" -v n="${REQS:-0}" \
    'BEGIN { if (n > 0) printf "%.0f", d / hz * 1e6 / n; else print "n/a" }'
}

run_scaleout() {
  if ! command -v nginx >/dev/null 2>&1; then
    log "installing nginx-light (Debian)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null
  fi
  local nginx_bin dir=$WORK/scaleout kdir=$WORK/pg-$CASES
  nginx_bin=$(command -v nginx)
  mkdir -p "$dir/tmp" "$kdir"
  local db=postgresql://postgres@127.0.0.1:$PGPORT/huiyin_test
  if ! psql "$db" -qAt -c 'SELECT 1' >/dev/null 2>&1; then
    "$ROOT/scripts/pg.sh" start "$WORK/pg" "$PGPORT" >"$WORK/pg.start.log" 2>&1
    PG_STARTED=1
  fi
  if [[ ! -f $kdir/gen.txt ]]; then generate "$db" "$kdir" mixed "$CASES"; fi
  make_inputs "pg$CASES" "$db"
  local p1=$((PORT + 1)) p2=$((PORT + 2)) pids=() p
  for p in "$p1" "$p2"; do
    # shellcheck disable=SC2046
    "$BIN/huiyin" serve $(common_args "$db" "$kdir") --set server.port="$p" \
      --set server.access_log=false --set log.level=warn --set server.trust_proxy_headers=true \
      >"$dir/server.$p.log" 2>&1 &
    pids+=($!)
  done
  for p in "$p1" "$p2"; do
    for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$p/readyz" && break; sleep 0.1; done
  done
  local label n t0
  for n in 2 1; do
    if [[ $n == 2 ]]; then nginx_conf "$dir" "$p1" "$p2"; else nginx_conf "$dir" "$p1"; fi
    "$nginx_bin" -p "$dir" -c "$dir/nginx.conf"
    for _ in $(seq 1 100); do curl -fs -o /dev/null "$URL/readyz" && break; sleep 0.1; done
    label="PostgreSQL $CASES behind nginx, $n server process(es)"
    SERVER_PID=${pids[0]}
    login dispatcher1
    t0=$(both_ticks "${pids[@]:0:n}")
    HUIYIN_CASES=$WORK/numbers.pg$CASES.txt wrk_run "scale_case_$n" 64 "$ROOT/bench/http/case_get.lua"
    record "8" "$label: case page GET req/s" "$RPS" "" "" \
      "p99 ${P99} ms, non-2xx ${NON2XX}, $(per_request "$t0" "$(both_ticks "${pids[@]:0:n}")") us CPU/req (Huiyin processes), VmHWM $(both_hwm "${pids[@]:0:n}") MB"
    login agent1
    t0=$(both_ticks "${pids[@]:0:n}")
    HUIYIN_RUN="s$n$RANDOM" wrk_run "scale_intake_$n" 64 "$ROOT/bench/http/intake.lua"
    record "8" "$label: intake POST cases/s (durable)" "$RPS" "" "" \
      "p99 ${P99} ms, non-2xx ${NON2XX}, $(per_request "$t0" "$(both_ticks "${pids[@]:0:n}")") us CPU/req (Huiyin processes), VmHWM $(both_hwm "${pids[@]:0:n}") MB"
    "$nginx_bin" -p "$dir" -c "$dir/nginx.conf" -s stop
    sleep 0.5
  done
  SERVER_PID=""
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}

# ---- the report ---------------------------------------------------------------------------------
write_doc() {
  local doc=$ROOT/docs/benchmarks.md
  [[ -f $doc ]] || printf '# Benchmarks\n' >"$doc"
  {
    printf '\n### Run %s — `%s`\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$CMDLINE"
    printf 'Machine: %s cores, %s, %s; load average at start of each figure shown. Build: %s (Release, -O2).\n\n' \
      "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" \
      "$(. /etc/os-release && echo "$PRETTY_NAME")" "${BUILD#"$ROOT"/}"
    printf '| issue | figure | value | target | met | load (1/5/15 min) | notes |\n'
    printf '| --- | --- | --- | --- | --- | --- | --- |\n'
    awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }' "$RESULTS"
  } >>"$doc"
  log "appended $(wc -l <"$RESULTS") figures to docs/benchmarks.md"
}

# ---- main ---------------------------------------------------------------------------------------
parts=("$@")
[[ ${#parts[@]} -eq 0 ]] && parts=(micro http intake)
if [[ ${parts[0]} == all ]]; then parts=(micro http intake data recompute catalogue pg scaleout); fi
[[ -n ${HUIYIN_BENCH_NO_BUILD:-} ]] || build
for p in "${parts[@]}"; do
  case $p in
    micro) run_micro ;;
    http) run_http ;;
    intake) run_intake ;;
    data) run_data ;;
    recompute) run_recompute ;;
    catalogue) run_catalogue ;;
    pg) run_pg ;;
    scaleout) run_scaleout ;;
    *) log "unknown part '$p' (micro|http|intake|data|recompute|catalogue|pg|scaleout|all)"; exit 2 ;;
  esac
done
