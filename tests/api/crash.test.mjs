// Crash safety (issue 8): concurrent intake and dispatch from 4 clients, SIGKILL at a random
// moment, restart on the same database, and check that every acknowledged write survived whole,
// that no case is half-written, that case numbers stay unique and that the audit chain verifies.
// Runs on SQLite and (HUIYIN_TEST_BACKEND=postgres) PostgreSQL. Every loop is bounded.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { Client } from './lib/client.mjs';
import { DEMO_PASSWORD, serve, startServer } from './lib/server.mjs';

const CYCLES = Number(process.env.HUIYIN_CRASH_CYCLES || 20);
const TOTAL_BUDGET_MS = 150000;  // the whole kill/restart loop, on a busy 2-core machine
const WORKERS = 4;
const STATE_ORDER = ['received', 'dispatched'];  // nobody acts after dispatch in this test

let srv;
let proc = null;     // the server process currently running (first: srv.proc)
let base = null;
let zjjId;
const stats = { kills: 0, survived: 0, ackedIntakes: 0, ackedDispatches: 0, errors: 0 };

before(async () => {
  srv = await startServer();
  proc = srv.proc;
  base = srv.base;
});

after(async () => {
  const alive = (p) => p && p.exitCode === null && p.signalCode === null;
  if (alive(proc) && proc !== srv?.proc) {
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 10000);
    await exited;
    clearTimeout(t);
  }
  // srv.stop() waits for an 'exit' that already happened when the first process died by SIGKILL
  // (exitCode stays null, signalCode is set): remove the directory ourselves in that case.
  if (srv && !alive(srv.proc)) rmSync(srv.dir, { recursive: true, force: true });
  else await srv?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function signIn(username) {
  const c = new Client(base);
  const r = await c.login(username, DEMO_PASSWORD);
  assert.equal(r.status, 200, `${username}: ${r.text}`);
  return c;
}

// Starts `huiyin serve` again on the same database (srv.common) on a new port; bounded wait.
async function restart() {
  const again = await serve(srv.common);
  proc = again.proc;
  base = again.base;
}

async function kill() {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await exited;
}

// One worker: intake (agent), then dispatch (dispatcher) with the acknowledged version, until
// told to stop. Records only what the server acknowledged with a 2xx.
async function worker(id, cycle, agent, dispatcher, acked, stop) {
  let n = 0;
  while (!stop.now && n < 200) {
    n++;
    const key = `crash-${process.pid}-${cycle}-${id}-${n}`;
    let r;
    try {
      r = await agent.post('/api/v1/cases', {
        type: 'complaint', channel: 'phone', title: `崩溃测试 ${key}`, content: '楼道灯坏了，请尽快修理',
        region_code: '220502', requester: { name: '王五', phone: '13900002222' },
      }, { headers: { 'idempotency-key': key } });
    } catch { stats.errors++; return; }
    if (r.status < 200 || r.status >= 300) {
      if (stop.now) return;
      assert.fail(`intake answered ${r.status} while the server was up: ${r.text}`);
    }
    const c = r.json.case;
    const rec = { key, number: c.number, state: 'received' };
    acked.push(rec);
    stats.ackedIntakes++;
    if (stop.now) return;
    try {
      r = await dispatcher.post(`/api/v1/cases/${c.number}/transitions/dispatch`,
        { version: c.version, lead_org_id: zjjId });
    } catch { stats.errors++; return; }
    if (r.status >= 200 && r.status < 300) {
      assert.equal(r.json.state, 'dispatched');
      rec.state = 'dispatched';
      stats.ackedDispatches++;
    } else if (!stop.now) {
      assert.fail(`dispatch answered ${r.status} while the server was up: ${r.text}`);
    }
  }
}

async function listAll(c) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < 100; page++) {
    const r = await c.get(`/api/v1/cases?queue=all&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    items.push(...r.json.items);
    cursor = r.json.next_cursor;
    if (!cursor) return items;
  }
  assert.fail('more than 100 pages of cases');
}

test(`${CYCLES} SIGKILL/restart cycles under concurrent intake and dispatch lose no acknowledged write`, { timeout: 175000 }, async () => {
  const started = Date.now();
  const allAcked = [];
  const opened = new Set();   // case numbers already checked whole after an earlier restart
  for (let cycle = 1; cycle <= CYCLES; cycle++) {
    assert.ok(Date.now() - started < TOTAL_BUDGET_MS,
      `time budget exhausted after ${cycle - 1} cycles (${stats.kills} kills)`);
    const agents = [];
    const dispatchers = [];
    for (let i = 0; i < WORKERS; i++) {
      agents.push(await signIn('agent1'));
      dispatchers.push(await signIn('dispatcher1'));
    }
    if (!zjjId) {
      const orgs = (await agents[0].get('/api/v1/orgs')).json.items;
      zjjId = orgs.find((o) => o.name === '住房和城乡建设局').id;
      assert.ok(zjjId);
    }
    // Load, then SIGKILL after 50–400 ms.
    const acked = [];
    const stop = { now: false };
    const running = [];
    for (let i = 0; i < WORKERS; i++) running.push(worker(i, cycle, agents[i], dispatchers[i], acked, stop));
    await sleep(50 + Math.floor(Math.random() * 351));
    stop.now = true;
    await kill();
    stats.kills++;
    await Promise.all(running);
    allAcked.push(...acked);

    // Restart on the same database and check.
    await restart();
    const d = await signIn('dispatcher1');
    for (const a of acked) {
      const r = await d.get(`/api/v1/cases/${a.number}`);
      assert.equal(r.status, 200, `cycle ${cycle}: acknowledged case ${a.number} (${a.key}) is missing: ${r.text}`);
      assert.ok(STATE_ORDER.indexOf(r.json.state) >= STATE_ORDER.indexOf(a.state),
        `cycle ${cycle}: ${a.number} acknowledged as ${a.state}, found ${r.json.state}`);
      const actions = r.json.timeline.map((e) => e.action);
      assert.ok(actions.includes('intake'), `${a.number} has its intake event`);
      if (r.json.state === 'dispatched') {
        assert.ok(actions.includes('dispatch'), `${a.number} dispatched with its dispatch event`);
        assert.equal(r.json.lead_org?.id, zjjId, `${a.number} is led by 住房和城乡建设局`);
      }
      opened.add(a.number);
    }
    const all = await listAll(d);
    const numbers = all.map((x) => x.number);
    assert.equal(new Set(numbers).size, numbers.length, `cycle ${cycle}: case numbers are unique`);
    for (const a of allAcked) assert.ok(numbers.includes(a.number), `${a.number} is listed`);
    // Cases that were written but never acknowledged must be whole too (opened once each).
    for (const x of all) {
      if (opened.has(x.number) && !acked.some((a) => a.number === x.number)) continue;
      const r = await d.get(`/api/v1/cases/${x.number}`);
      assert.equal(r.status, 200, `cycle ${cycle}: listed case ${x.number} opens: ${r.text}`);
      assert.ok(r.json.clocks.length >= 1, `${x.number} has a clock`);
      assert.ok(r.json.timeline.length >= 1, `${x.number} has a timeline event`);
      assert.ok(r.json.timeline.some((e) => e.action === 'intake'), `${x.number} has its intake event`);
      opened.add(x.number);
    }
    const v = srv.cli(['audit', 'verify']);
    assert.equal(v.code, 0, `cycle ${cycle}: audit verify: ${v.stdout}${v.stderr}`);
    stats.survived++;
  }
  // Idempotency keys of acknowledged intakes map to distinct case numbers.
  assert.equal(new Set(allAcked.map((a) => a.number)).size, allAcked.length);
  const backend = process.env.HUIYIN_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';
  console.log(`crash[${backend}]: ${stats.survived}/${stats.kills} kills survived; ` +
    `${stats.ackedIntakes} acknowledged intakes, ${stats.ackedDispatches} acknowledged dispatches, ` +
    `${stats.errors} requests cut by the kill, ${opened.size} cases opened, ${Date.now() - started} ms`);
  assert.equal(stats.survived, CYCLES);
});
