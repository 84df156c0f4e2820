// Scale-out (issue 8; DESIGN.md "Scale-out"): two `huiyin serve` processes on one PostgreSQL
// database, both running the scheduler every second, race for the same scheduled work —
// applications deemed accepted (Art. 32) and licence renewal reminders — and each piece is done
// exactly once; a case taken in on one server is read and moved on the other. SQLite is one
// process by design, so this file runs on PostgreSQL only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from './lib/client.mjs';
import { DEMO_PASSWORD, serve, startServer } from './lib/server.mjs';

const postgres = process.env.HUIYIN_TEST_BACKEND === 'postgres';
const FIRE = '000111003000-220500000000-11220500032412309B-01';
const N = 24;
const DAY = 86400000;

let a;
let b;
before(async () => {
  if (!postgres) return;
  a = await startServer({ settings: { 'workflows.scheduler_seconds': 1 } });
  b = await serve(a.common);
});
after(async () => {
  await b?.stop();
  await a?.stop();
});

async function signIn(base, who) {
  const c = new Client(base);
  assert.equal((await c.login(who, DEMO_PASSWORD)).status, 200, who);
  return c;
}

test('two servers on one database: every scheduled step is taken exactly once', { skip: !postgres && 'SQLite runs as one process' }, async (t) => {
  const clerkA = await signIn(a.base, 'clerk1');
  const clerkB = await signIn(b.base, 'clerk1');
  // Applications taken in on both servers, then left without a notice for ten days.
  const numbers = [];
  for (let i = 0; i < N; i += 1) {
    const clerk = i % 2 ? clerkB : clerkA;
    const r = await clerk.post('/api/v1/cases', {
      kind: 'application', type: 'new', channel: 'visit', category: FIRE, title: `申请${i}`,
      content: '窗口受理', requester: { name: '王五', phone: '13700007777' },
    }, { headers: { 'idempotency-key': `scale-${i}` } });
    assert.equal(r.status, 201, r.text);
    numbers.push(r.json.case.number);
  }
  // Each server reads what the other wrote.
  assert.equal((await clerkA.get(`/api/v1/cases/${numbers[1]}`)).status, 200);
  assert.equal((await clerkB.get(`/api/v1/cases/${numbers[0]}`)).status, 200);
  // Licences expiring in 40 days for citizen1, straight into the database.
  const holder = a.sql("SELECT id FROM users WHERE username = 'citizen1'");
  const item = a.sql(`SELECT id, org_id FROM service_items WHERE code = '${FIRE}'`).split('|');
  const firstCase = a.sql(`SELECT id FROM cases WHERE number = '${numbers[0]}'`);
  const expires = Date.now() + 40 * DAY;
  for (let i = 0; i < N; i += 1) {
    a.sql(`INSERT INTO licences (number, item_id, org_id, holder_id, case_id, granted_at, expires_at) ` +
      `VALUES ('XKSCALE${i}', ${item[0]}, ${item[1]}, ${holder}, ${firstCase}, ${Date.now()}, ${expires})`);
  }
  const ids = numbers.map((n) => `'${n}'`).join(',');
  a.sql(`UPDATE case_clocks SET start_at = start_at - ${10 * DAY}, deadline_at = deadline_at - ${10 * DAY}, ` +
    `warn_at = warn_at - ${10 * DAY} WHERE name = 'acceptance' AND case_id IN (SELECT id FROM cases WHERE number IN (${ids}))`);
  // Both schedulers race; wait (bounded) until everything is done, then a few more passes.
  const until = Date.now() + 30000;
  const done = () => Number(a.sql(`SELECT count(*) FROM cases WHERE number IN (${ids}) AND state = 'accepted'`)) === N &&
    Number(a.sql("SELECT count(*) FROM licences WHERE number LIKE 'XKSCALE%' AND reminded_at IS NOT NULL")) === N;
  while (!done() && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
  assert.ok(done(), 'all deemed accepted and all reminded within 30 s');
  await new Promise((r) => setTimeout(r, 2500));
  const events = a.sql(`SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id ` +
    `WHERE c.number IN (${ids}) AND e.action = 'deem_accepted'`);
  assert.equal(Number(events), N, 'one deem_accepted event per application');
  const decisions = a.sql(`SELECT count(*) FROM case_clocks k JOIN cases c ON c.id = k.case_id ` +
    `WHERE c.number IN (${ids}) AND k.name = 'decision'`);
  assert.equal(Number(decisions), N, 'one decision clock per application');
  const notes = a.sql("SELECT count(*) FROM notifications WHERE kind = 'licence.renewal_due' AND link LIKE 'XKSCALE%'");
  assert.equal(Number(notes), N, 'one reminder per licence');
  const dup = a.sql("SELECT count(*) FROM (SELECT link FROM notifications WHERE link LIKE 'XKSCALE%' GROUP BY link HAVING count(*) > 1) d");
  assert.equal(Number(dup), 0);
  // Between them the two servers logged each step once (how the work split is up to timing).
  const taken = (log) => (log.match(/deem_accepted taken automatically/g) || []).length;
  const [byA, byB] = [taken(a.log()), taken(b.log())];
  assert.equal(byA + byB, N, `server A took ${byA}, server B ${byB}`);
  t.diagnostic(`deem_accepted: server A ${byA}, server B ${byB}`);
  assert.equal((await fetch(b.base + '/readyz')).status, 200);
  assert.equal(a.cli(['audit', 'verify']).code, 0, 'the audit chain written by both servers verifies');
});
