// The hotline's appeal loop on the case engine (issue 4), against the real binary on SQLite and
// PostgreSQL: intake → dispatch → sign for → reply → approve → call back, with returns,
// extensions, redo, urging, merging, confidentiality, idempotency and concurrency.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from './lib/client.mjs';
import { DEMO_PASSWORD, startServer } from './lib/server.mjs';

let srv;
const users = {};
const coHandled = new Set();  // cases the housing bureau co-handles (lead elsewhere)
let orgs;
before(async () => {
  srv = await startServer();
  for (const u of ['agent1', 'dispatcher1', 'zjhandler1', 'zjhead1', 'cghandler1', 'cghead1',
    'supervisor1', 'leader1', 'citizen1', 'sysadmin1', 'dchandler1']) {
    users[u] = new Client(srv.base);
    const r = await users[u].login(u, DEMO_PASSWORD);
    assert.equal(r.status, 200, `${u}: ${r.text}`);
  }
  orgs = (await users.agent1.get('/api/v1/orgs')).json.items;
});
after(async () => { await srv?.stop(); });

const orgId = (name) => orgs.find((o) => o.name === name).id;
let keyCounter = 0;

async function intake(body, who = 'agent1') {
  const r = await users[who].post('/api/v1/cases', {
    type: 'complaint', channel: 'phone', title: '楼道灯不亮', content: '东昌区幸福小区3号楼楼道灯坏了两周',
    region_code: '220502', requester: { name: '李四', phone: '13900001111' }, ...body,
  }, { headers: { 'idempotency-key': `appeal-test-${process.pid}-${++keyCounter}` } });
  assert.equal(r.status, 201, r.text);
  return r.json.case;
}

async function step(who, c, name, fields = {}, expected = 200) {
  const r = await users[who].post(`/api/v1/cases/${c.number}/transitions/${name}`, { version: c.version, ...fields });
  assert.equal(r.status, expected, `${who} ${name}: ${r.text}`);
  return r.json;
}

describe('the appeal loop', () => {
  test('intake by phone, dispatch, sign for, reply, approve, call back, citizen rating', async () => {
    let c = await intake({});
    assert.match(c.number, /^SQ\d{8}\d{6}$/);
    assert.equal(c.state, 'received');
    assert.equal(c.requester.name, '李四');  // the hotline sees the caller in clear
    assert.deepEqual(c.clocks.map((k) => k.name), ['dispatch']);
    assert.ok(c.transitions.some((t) => t.name === 'not_accept'));
    assert.ok(!c.transitions.some((t) => t.name === 'dispatch'), 'agents do not dispatch');

    c = await step('dispatcher1', c, 'dispatch', { lead_org_id: orgId('住房和城乡建设局') });
    assert.equal(c.state, 'dispatched');
    const handle = c.clocks.find((k) => k.name === 'handle');
    assert.equal(handle.unit, 'working_days');
    assert.equal(handle.length, 15);  // complaints: 15 working days
    assert.equal(c.clocks.find((k) => k.name === 'sign_for').unit, 'hours');

    const seen = (await users.zjhandler1.get(`/api/v1/cases/${c.number}`)).json;
    assert.equal(seen.requester.name, '李*');          // masked for the handling unit
    assert.equal(seen.requester.phone, '139****1111');
    assert.deepEqual(seen.transitions.map((t) => t.name).sort(), ['add_note', 'return', 'sign_for']);

    c = await step('zjhandler1', c, 'sign_for');
    assert.equal(c.state, 'handling');
    c = await step('zjhandler1', c, 'add_note', { note: '已联系物业' });
    c = await step('zjhandler1', c, 'submit_reply', { reply: '已更换楼道灯，感谢反映。' });
    assert.equal(c.state, 'reply_review');
    c = await step('zjhead1', c, 'approve_reply');
    assert.equal(c.state, 'replied');
    assert.ok(c.clocks.find((k) => k.name === 'handle').stopped);
    assert.equal(c.clocks.find((k) => k.name === 'handle').level, 'stopped_on_time');
    c = await step('agent1', c, 'call_back', { resolved: true, satisfaction: 5 });
    assert.equal(c.state, 'closed');
    assert.ok(c.closed_at);
    assert.ok(c.clocks.every((k) => k.stopped));
    const labels = c.timeline.map((e) => e.action);
    assert.deepEqual(labels, ['intake', 'dispatch', 'sign_for', 'add_note', 'submit_reply',
      'approve_reply', 'call_back']);
  });

  test('a citizen files online, tracks with the check code and rates the closed case', async () => {
    const anon = new Client(srv.base);
    const r = await anon.post('/api/v1/cases', {
      type: 'help', channel: 'web', title: '暖气不热', content: '家中室温只有14度', region_code: '220502',
    }, { headers: { 'idempotency-key': 'citizen-web-1' } });
    assert.equal(r.status, 201, r.text);
    const { number } = r.json.case;
    const code = r.json.check_code;
    assert.match(code, /^[2-9A-Z]{8}$/);
    assert.equal((await anon.get(`/api/v1/cases/${number}`)).status, 404);
    assert.equal((await anon.get(`/api/v1/cases/${number}?check_code=WRONG234`)).status, 404);
    const pub = await anon.get(`/api/v1/cases/${number}?check_code=${code}`);
    assert.equal(pub.status, 200);
    assert.equal(pub.json.public_view, true);
    assert.deepEqual(pub.json.transitions, []);

    // Signed-in citizen: own case, rating after closing.
    let c = (await users.citizen1.post('/api/v1/cases', {
      type: 'suggestion', channel: 'mobile', title: '增加公交班次', content: '建议3路公交早高峰加密班次',
    }, { headers: { 'idempotency-key': 'citizen1-1' } })).json.case;
    assert.ok(c.requester.name.length > 0);
    c = await step('dispatcher1', c, 'dispatch', { lead_org_id: orgId('交通运输局') });
    c = (await users.dispatcher1.get(`/api/v1/cases/${c.number}`)).json;
    assert.equal((await users.citizen1.get(`/api/v1/cases/${c.number}`)).json.reply, '');
    // Not yet replied: the citizen's view shows no internal notes.
    const mine = await users.citizen1.get('/api/v1/cases?queue=mine');
    assert.ok(mine.json.items.some((x) => x.number === c.number));
  });

  test('a co-handling unit finds the case in its queues and counts, an unrelated unit does not', async () => {
    let c = await intake({ title: '小区供暖与管网改造', content: '供暖不热，管网老化需改造' });
    c = await step('dispatcher1', c, 'dispatch', { lead_org_id: orgId('城市管理局'), co_org_ids: [orgId('住房和城乡建设局')] });
    coHandled.add(c.number);
    for (const q of ['to_sign_for', 'all']) {
      const zj = await users.zjhandler1.get(`/api/v1/cases?queue=${q}&limit=200`);
      assert.equal(zj.status, 200, zj.text);
      assert.ok(zj.json.items.some((x) => x.number === c.number), `co-unit sees it in ${q}`);
    }
    const byState = await users.zjhandler1.get('/api/v1/cases?state=dispatched&limit=200');
    assert.ok(byState.json.items.some((x) => x.number === c.number));
    const counts = (await users.zjhandler1.get('/api/v1/queues')).json.items;
    assert.ok(counts.find((x) => x.queue === 'to_sign_for').count >= 1);
    const other = await users.dchandler1.get('/api/v1/cases?queue=to_sign_for&limit=200');
    assert.ok(!other.json.items.some((x) => x.number === c.number), 'an unrelated unit does not');
  });

  test('illegal transitions and wrong roles are refused and change nothing', async () => {
    const c = await intake({});
    // Wrong state: sign for before dispatch.
    let r = await users.zjhandler1.post(`/api/v1/cases/${c.number}/transitions/sign_for`, { version: c.version });
    assert.ok([404, 409].includes(r.status), r.text);  // not yet visible to the unit: 404
    // Wrong role: an agent may not dispatch.
    r = await users.agent1.post(`/api/v1/cases/${c.number}/transitions/dispatch`, { version: c.version, lead_org_id: 1 });
    assert.equal(r.status, 403);
    assert.equal(r.json.code, 'forbidden');
    // Unknown transition.
    r = await users.dispatcher1.post(`/api/v1/cases/${c.number}/transitions/teleport`, { version: c.version });
    assert.equal(r.status, 404);
    // Missing required field names the field.
    r = await users.dispatcher1.post(`/api/v1/cases/${c.number}/transitions/dispatch`, { version: c.version });
    assert.equal(r.status, 400);
    assert.equal(r.json.errors[0].field, 'lead_org_id');
    const d = await step('dispatcher1', c, 'dispatch', { lead_org_id: orgId('住房和城乡建设局') });
    // Another unit's handler cannot act (and cannot even see the case).
    r = await users.cghandler1.post(`/api/v1/cases/${c.number}/transitions/sign_for`, { version: d.version });
    assert.equal(r.status, 404);
    // A handler cannot approve his own reply.
    let h = await step('zjhandler1', d, 'sign_for');
    h = await step('zjhandler1', h, 'submit_reply', { reply: '处理完毕' });
    r = await users.zjhandler1.post(`/api/v1/cases/${c.number}/transitions/approve_reply`, { version: h.version });
    assert.equal(r.status, 403);
    // Call back before a reply was approved is illegal.
    r = await users.agent1.post(`/api/v1/cases/${c.number}/transitions/call_back`, { version: h.version, resolved: true, satisfaction: 5 });
    assert.equal(r.status, 409);
    assert.equal(r.json.code, 'illegal_transition');
    const after = (await users.dispatcher1.get(`/api/v1/cases/${c.number}`)).json;
    assert.equal(after.version, h.version);
    assert.equal(after.state, 'reply_review');
  });

  test('a stale version gets 409 and changes nothing', async () => {
    const c = await intake({});
    const d = await step('dispatcher1', c, 'dispatch', { lead_org_id: orgId('城市管理局') });
    const r = await users.cghandler1.post(`/api/v1/cases/${c.number}/transitions/sign_for`, { version: c.version });
    assert.equal(r.status, 409);
    assert.equal(r.json.code, 'version_conflict');
    const now = (await users.dispatcher1.get(`/api/v1/cases/${c.number}`)).json;
    assert.equal(now.version, d.version);
    assert.equal(now.state, 'dispatched');
    const none = await users.cghandler1.post(`/api/v1/cases/${c.number}/transitions/sign_for`, {});
    assert.equal(none.status, 428);
  });

  test('the same Idempotency-Key twice gives one case; reused with another body is refused', async () => {
    const body = { type: 'enquiry', channel: 'phone', title: '社保卡补办', content: '社保卡丢了怎么补办' };
    const a = await users.agent1.post('/api/v1/cases', body, { headers: { 'idempotency-key': 'same-key-1' } });
    const b = await users.agent1.post('/api/v1/cases', body, { headers: { 'idempotency-key': 'same-key-1' } });
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.equal(b.headers.get('idempotent-replayed'), 'true');
    assert.equal(a.json.case.number, b.json.case.number);
    assert.equal(a.json.check_code, b.json.check_code);
    const c = await users.agent1.post('/api/v1/cases', { ...body, title: '别的事' }, { headers: { 'idempotency-key': 'same-key-1' } });
    assert.equal(c.status, 422);
    assert.equal(c.json.code, 'idempotency_mismatch');
  });

  test('return within 2 working days, review, re-dispatch; an improper return is counted', async () => {
    let c = await intake({});
    c = await step('dispatcher1', c, 'dispatch', { lead_org_id: orgId('城市管理局') });
    c = await step('cghandler1', c, 'return', { reason: '楼道照明属物业管理，应派住建局' });
    assert.equal(c.state, 'return_review');
    c = await step('dispatcher1', c, 'dispatch', { lead_org_id: orgId('住房和城乡建设局') });
    assert.equal(c.lead_org.name, '住房和城乡建设局');
    c = await step('zjhandler1', c, 'return', { reason: '不是我们的事' });
    c = await step('dispatcher1', c, 'reject_return', { reason: '物业监管属住建局职责' });
    assert.equal(c.state, 'handling');
    const handle = c.clocks.find((k) => k.name === 'handle');
    assert.equal(handle.paused, false);
  });

  test('extension requested before the deadline, approved by the hotline centre (max 10 WD)', async () => {
    let c = await intake({ type: 'help' });
    c = await step('dispatcher1', c, 'dispatch', { lead_org_id: orgId('住房和城乡建设局') });
    c = await step('zjhandler1', c, 'sign_for');
    const before = c.clocks.find((k) => k.name === 'handle').deadline;
    c = await step('zjhandler1', c, 'request_extension', { days: 10, reason: '需协调供热公司' });
    assert.equal(c.state, 'extension_requested');
    const tooMuch = await users.dispatcher1.post(`/api/v1/cases/${c.number}/transitions/approve_extension`, { version: c.version, days: 11 });
    assert.equal(tooMuch.status, 400);
    assert.equal(tooMuch.json.errors[0].field, 'days');
    c = await step('dispatcher1', c, 'approve_extension', { days: 10 });
    const h = c.clocks.find((k) => k.name === 'handle');
    assert.equal(h.extended, 10);
    assert.ok(h.deadline > before);
    // The citizen is told: the extension is on the public timeline.
    assert.ok(c.timeline.find((e) => e.action === 'approve_extension').public);
  });

  test('unsatisfied call-back sends the case back to be redone (重办), restarting the handling clock', async () => {
    let c = await intake({});
    c = await step('dispatcher1', c, 'dispatch', { lead_org_id: orgId('住房和城乡建设局') });
    c = await step('zjhandler1', c, 'sign_for');
    c = await step('zjhandler1', c, 'submit_reply', { reply: '已处理' });
    c = await step('zjhead1', c, 'approve_reply');
    c = await step('agent1', c, 'redo', { resolved: false, satisfaction: 2, reason: '灯仍然不亮' });
    assert.equal(c.state, 'handling');
    assert.equal(c.clocks.find((k) => k.name === 'handle').stopped, false);
  });

  test('supervisors urge and escalate, leaders instruct; only they may', async () => {
    let c = await intake({});
    c = await step('dispatcher1', c, 'dispatch', { lead_org_id: orgId('城市管理局') });
    c = await step('supervisor1', c, 'urge', { note: '请尽快签收' });
    c = await step('supervisor1', c, 'escalate', { note: '升级督办' });
    c = await step('leader1', c, 'instruct', { note: '请城管局今天解决' });
    assert.equal(c.state, 'dispatched');
    const r = await users.cghandler1.post(`/api/v1/cases/${c.number}/transitions/urge`, { version: c.version, note: 'x' });
    assert.equal(r.status, 403);
  });

  test('a report (举报) hides the reporter from the unit reported on', async () => {
    let c = await intake({ type: 'report', title: '举报占道经营', content: '某店长期占道经营',
      requester: { name: '王五', phone: '13700002222' } });
    assert.equal(c.requester.name, '王五');  // the hotline centre knows who reported
    c = await step('dispatcher1', c, 'dispatch', { lead_org_id: orgId('城市管理局') });
    for (const who of ['cghandler1', 'cghead1']) {
      const r = await users[who].get(`/api/v1/cases/${c.number}`);
      assert.equal(r.status, 200);
      assert.ok(!r.text.includes('王五'), `${who} must not see the reporter's name`);
      assert.ok(!r.text.includes('13700002222'), `${who} must not see the reporter's phone`);
      assert.ok(!r.text.includes('2222'), `${who} must not see even a masked phone`);
      assert.equal(r.json.requester.confidential, true);
    }
    const list = await users.cghandler1.get('/api/v1/cases?queue=to_sign_for');
    assert.ok(!list.text.includes('王五'));
  });

  test('merged duplicates all receive the reply', async () => {
    let main = await intake({ title: '路灯不亮', content: '滨江路路灯不亮' });
    let dup = await intake({ title: '滨江路路灯坏了', content: '滨江路一段路灯全黑', requester: { name: '赵六', phone: '13600003333' } });
    dup = await step('dispatcher1', dup, 'merge', { target: main.number });
    assert.equal(dup.state, 'merged');
    assert.equal(dup.merged_into, main.number);
    main = await step('dispatcher1', main, 'dispatch', { lead_org_id: orgId('城市管理局') });
    main = await step('cghandler1', main, 'sign_for');
    main = await step('cghandler1', main, 'submit_reply', { reply: '滨江路路灯已修复' });
    main = await step('cghead1', main, 'approve_reply');
    const d = (await users.agent1.get(`/api/v1/cases/${dup.number}`)).json;
    assert.equal(d.reply, '滨江路路灯已修复');
    assert.ok(d.timeline.some((e) => e.action === 'reply_via_merge'));
  });

  test('enquiries answered from the knowledge base close at once; not-accepted matters name the channel', async () => {
    let c = await intake({ type: 'enquiry', title: '供暖期', content: '通化供暖期从哪天开始' });
    c = await step('agent1', c, 'answer', { reply: '通化市供暖期为每年10月20日至次年4月10日。' });
    assert.equal(c.state, 'closed');
    let n = await intake({ title: '邻居打架', content: '正在打架需要出警' });
    n = await step('agent1', n, 'not_accept', { reason: '紧急警情', channel: '110' });
    assert.equal(n.state, 'not_accepted');
  });

  test('queues and indicators count what happened', async () => {
    const q = await users.dispatcher1.get('/api/v1/queues');
    assert.equal(q.status, 200);
    assert.ok(q.json.items.find((x) => x.queue === 'all').count > 5);
    const list = await users.zjhandler1.get('/api/v1/cases?queue=all&limit=2');
    assert.equal(list.status, 200);
    assert.equal(list.json.items.length, 2);
    assert.ok(list.json.next_cursor);
    const page2 = await users.zjhandler1.get(`/api/v1/cases?queue=all&limit=2&cursor=${list.json.next_cursor}`);
    assert.ok(!page2.json.items.some((x) => list.json.items.some((y) => y.number === x.number)));
    // A handler of 住建局 only sees cases of 住建局.
    const all = await users.zjhandler1.get('/api/v1/cases?queue=all&limit=200');
    assert.ok(all.json.items.every((x) => x.lead_org_name === '住房和城乡建设局' || coHandled.has(x.number)));
    // Chinese search: 1, 2 and 3+ characters (trigram index for 3+, scan for shorter terms).
    for (const term of ['灯', '楼道', '楼道灯', '滨江路路灯']) {
      const found = await users.agent1.get('/api/v1/cases?limit=200&q=' + encodeURIComponent(term));
      assert.equal(found.status, 200);
      assert.ok(found.json.items.length > 0, `search for ${term}`);
    }
    // Filters: type, channel, state, dates, level; unknown values are refused with the field named.
    const complaints = await users.dispatcher1.get('/api/v1/cases?limit=200&type=complaint&channel=phone');
    assert.ok(complaints.json.items.length > 0);
    assert.ok(complaints.json.items.every((x) => x.type === 'complaint'));
    const closed = await users.dispatcher1.get('/api/v1/cases?limit=200&state=closed');
    assert.ok(closed.json.items.every((x) => x.state === 'closed'));
    const future = await users.dispatcher1.get('/api/v1/cases?created_from=2099-01-01');
    assert.equal(future.json.items.length, 0);
    const today = await users.dispatcher1.get('/api/v1/cases?limit=1&created_from=2000-01-01&created_to=2099-01-01');
    assert.equal(today.json.items.length, 1);
    const red = await users.dispatcher1.get('/api/v1/cases?level=red');
    assert.equal(red.status, 200);
    assert.equal(red.json.items.length, 0, 'nothing is overdue yet');
    const badLevel = await users.dispatcher1.get('/api/v1/cases?level=purple');
    assert.equal(badLevel.status, 400);
    assert.equal(badLevel.json.errors[0].field, 'level');
    const none = await users.agent1.get('/api/v1/cases?q=' + encodeURIComponent('%%%'));
    assert.equal(none.json.items.length, 0, 'LIKE wildcards in a query are literal');
    const reply = await users.agent1.get('/api/v1/cases?q=' + encodeURIComponent('路灯已修复'));
    assert.ok(reply.json.items.length >= 1, 'replies are searched too');
    const ind = await users.leader1.get('/api/v1/indicators');
    assert.equal(ind.status, 200, ind.text);
    const zj = ind.json.units.find((u) => u.org_name === '住房和城乡建设局');
    assert.ok(zj.dispatched >= 3);
    assert.ok(zj.response_rate > 0 && zj.response_rate <= 1);
    assert.ok(zj.called_back >= 1);
    assert.ok(ind.json.definitions.response_rate.includes('响应率'));
    assert.equal((await users.zjhandler1.get('/api/v1/indicators')).status, 403);
  });
});

describe('concurrency', () => {
  test('1,000 concurrent intakes from 8 clients get 1,000 distinct numbers', async () => {
    const numbers = [];
    const client = async (w) => {
      const c = new Client(srv.base);
      await c.login('agent1', DEMO_PASSWORD);
      for (let i = 0; i < 125; i++) {
        const r = await c.post('/api/v1/cases', {
          type: 'enquiry', channel: 'phone', title: `并发受理 ${w}-${i}`, content: '并发测试',
        }, { headers: { 'idempotency-key': `conc-${w}-${i}` } });
        assert.equal(r.status, 201, r.text);
        numbers.push(r.json.case.number);
      }
    };
    await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(client));
    assert.equal(numbers.length, 1000);
    assert.equal(new Set(numbers).size, 1000);
  });
});

describe('windows', () => {
  test('signing for ends the return window: a signed-for order is not returned, and its window never shows as overdue', async () => {
    let c = await intake({});
    c = await step('dispatcher1', c, 'dispatch', { lead_org_id: orgId('住房和城乡建设局') });
    c = await step('zjhandler1', c, 'sign_for');
    assert.ok(c.clocks.find((k) => k.name === 'return_window').stopped);
    const r = await users.zjhandler1.post(`/api/v1/cases/${c.number}/transitions/return`, { version: c.version, reason: '晚了' });
    assert.equal(r.status, 409);
    assert.equal(r.json.code, 'illegal_transition');
  });
});

describe('due queues of a unit', () => {
  // Moves every running obligation of a case so that it is due at `deadlineMs`.
  function dueAt(number, deadlineMs) {
    srv.sql(`UPDATE case_clocks SET deadline_at = ${deadlineMs}, warn_at = ${deadlineMs - 3600000} ` +
      `WHERE stop_at IS NULL AND is_window = 0 AND case_id = (SELECT id FROM cases WHERE number = '${number}')`);
  }
  const has = async (who, queue, number) =>
    (await users[who].get(`/api/v1/cases?queue=${queue}&limit=200`)).json.items.some((x) => x.number === number);
  const count = async (who, queue) =>
    (await users[who].get('/api/v1/queues')).json.items.find((q) => q.queue === queue).count;

  test('its own late cases and those it co-handles, never another unit\'s', async () => {
    let own = await intake({ title: '井盖缺失', content: '东昌区新华街井盖缺失，夜间危险' });
    own = await step('dispatcher1', own, 'dispatch', { lead_org_id: orgId('住房和城乡建设局') });
    let co = await intake({ title: '道路积水', content: '东昌区光明路积水严重' });
    co = await step('dispatcher1', co, 'dispatch', { lead_org_id: orgId('城市管理局'), co_org_ids: [orgId('住房和城乡建设局')] });
    const before = { zj: await count('zjhandler1', 'overdue'), dc: await count('dchandler1', 'overdue') };
    dueAt(own.number, Date.now() - 3600000);
    dueAt(co.number, Date.now() - 3600000);
    for (const n of [own.number, co.number]) {
      assert.ok(await has('zjhandler1', 'overdue', n), `${n} in the housing bureau's overdue queue`);
      assert.ok(!(await has('zjhandler1', 'due_soon', n)));
      assert.ok(!(await has('dchandler1', 'overdue', n)), 'not in another unit\'s');
    }
    assert.ok(await has('cghandler1', 'overdue', co.number), 'the lead unit sees it too');
    assert.ok(!(await has('cghandler1', 'overdue', own.number)));
    assert.equal(await count('zjhandler1', 'overdue'), before.zj + 2);
    assert.equal(await count('dchandler1', 'overdue'), before.dc);
    // Due tomorrow: due soon, no longer overdue.
    dueAt(own.number, Date.now() + 20 * 3600000);
    assert.ok(await has('zjhandler1', 'due_soon', own.number));
    assert.ok(!(await has('zjhandler1', 'overdue', own.number)));
    assert.equal(await count('zjhandler1', 'overdue'), before.zj + 1);
  });

  test('due queues list the most urgent first and page by deadline', async () => {
    const made = [];
    for (const hours of [1, 3, 2]) {  // overdue by 1, 3 and 2 hours
      let c = await intake({ title: `超期排序 ${hours}`, content: '超期排序测试' });
      c = await step('dispatcher1', c, 'dispatch', { lead_org_id: orgId('住房和城乡建设局') });
      dueAt(c.number, Date.now() - hours * 3600000);
      made.push({ hours, number: c.number });
    }
    const want = [...made].sort((a, b) => b.hours - a.hours).map((m) => m.number);
    for (const who of ['dispatcher1', 'zjhandler1']) {  // city-wide, and the unit's own queue
      const seen = [];
      let cursor = '';
      for (let page = 0; page < 500; page++) {
        const r = await users[who].get(`/api/v1/cases?queue=overdue&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.equal(r.status, 200, r.text);
        seen.push(...r.json.items.map((x) => x.number));
        const deadlines = r.json.items.map((x) => Date.parse(x.deadline));
        assert.deepEqual(deadlines, [...deadlines].sort((a, b) => a - b), `${who}: a page in deadline order`);
        if (!r.json.next_cursor) break;
        cursor = r.json.next_cursor;
      }
      assert.equal(new Set(seen).size, seen.length, `${who}: no case twice across pages`);
      assert.deepEqual(seen.filter((n) => want.includes(n)), want, `${who}: most overdue first`);
    }
    // A cursor of another list is refused, not misread.
    const all = await users.dispatcher1.get('/api/v1/cases?queue=all&limit=1');
    const r = await users.dispatcher1.get(`/api/v1/cases?queue=overdue&cursor=${encodeURIComponent(all.json.next_cursor)}`);
    assert.equal(r.status, 400, r.text);
    assert.match(r.text, /cursor/);
  });

  test('the case row summarises its clocks at every step (next deadline, signed for and handled on time)', async () => {
    // cases.next_deadline_at … handle_on_time are kept by triggers on case_clocks (migration 0014);
    // lists, queues and indicators read them instead of the clocks. Each step: the row equals what
    // the clocks say.
    const check = (c, expect) => {
      const [row, clocks] = [
        `SELECT next_deadline_at, next_warn_at, sign_for_on_time, handle_on_time FROM cases WHERE number = '${c.number}'`,
        'SELECT min(CASE WHEN stop_at IS NULL AND is_window = 0 THEN deadline_at END), ' +
          'min(CASE WHEN stop_at IS NULL AND is_window = 0 THEN warn_at END) FROM case_clocks ' +
          `WHERE case_id = (SELECT id FROM cases WHERE number = '${c.number}')`,
      ].map((q) => srv.sql(q).split('|'));
      assert.deepEqual(row.slice(0, 2), clocks, `${c.state}: next deadline and warning`);
      assert.deepEqual(row.slice(2), expect, `${c.state}: sign_for_on_time, handle_on_time`);
      return Number(row[0]);
    };
    let c = await intake({ title: '路灯不亮', content: '东昌区滨江路路灯不亮' });
    const atIntake = check(c, ['', '']);
    assert.ok(atIntake > Date.now(), 'the dispatch clock runs');
    c = await step('dispatcher1', c, 'dispatch', { lead_org_id: orgId('住房和城乡建设局') });
    const signBy = check(c, ['', '']);
    const sec = (ms) => Math.floor(ms / 1000) * 1000;  // the API gives deadlines to the second
    assert.equal(sec(signBy), Date.parse(c.clocks.find((k) => k.name === 'sign_for').deadline), 'sign-for comes first');
    c = await step('zjhandler1', c, 'sign_for');
    const handleBy = check(c, ['1', '']);
    assert.equal(sec(handleBy), Date.parse(c.clocks.find((k) => k.name === 'handle').deadline));
    // Late: the handling clock started 30 days ago (its 15 working days are over) shows red.
    const month = 30 * 86400000;
    srv.sql(`UPDATE case_clocks SET start_at = start_at - ${month}, deadline_at = deadline_at - ${month}, ` +
      `warn_at = warn_at - ${month} WHERE name = 'handle' AND case_id = (SELECT id FROM cases WHERE number = '${c.number}')`);
    assert.ok(check(c, ['1', '']) < Date.now());
    assert.ok(await has('zjhandler1', 'overdue', c.number));
    const red = (await users.zjhandler1.get('/api/v1/cases?level=red&limit=200')).json.items;
    assert.equal(red.find((x) => x.number === c.number)?.level, 'red');
    c = await step('zjhandler1', c, 'submit_reply', { reply: '已修复路灯。' });
    c = await step('zjhead1', c, 'approve_reply');
    check(c, ['1', '0']);  // handled, but after its deadline
    assert.ok(!(await has('zjhandler1', 'overdue', c.number)), 'handled: no longer overdue');
  });
});


describe('search', () => {
  test('3+ character terms page newest first across cursors; a number finds its case; scope holds', async () => {
    const made = [];
    for (const place of ['一', '二', '三']) {
      let c = await intake({ title: `垃圾站异味${place}`, content: `龙泉路垃圾转运站异味扰民（第${place}次）` });
      c = await step('dispatcher1', c, 'dispatch', { lead_org_id: orgId(place === '三' ? '城市管理局' : '住房和城乡建设局') });
      made.push(c.number);
    }
    const term = encodeURIComponent('垃圾转运站异味');
    const p1 = await users.agent1.get(`/api/v1/cases?limit=2&q=${term}`);
    assert.equal(p1.status, 200, p1.text);
    assert.deepEqual(p1.json.items.map((x) => x.number), [made[2], made[1]], 'newest first');
    assert.ok(p1.json.next_cursor);
    const p2 = await users.agent1.get(`/api/v1/cases?limit=2&q=${term}&cursor=${encodeURIComponent(p1.json.next_cursor)}`);
    assert.deepEqual(p2.json.items.map((x) => x.number), [made[0]]);
    assert.equal(p2.json.next_cursor, null);
    // A unit sees only its own hits.
    const zj = await users.zjhandler1.get(`/api/v1/cases?limit=50&q=${term}`);
    assert.deepEqual(zj.json.items.map((x) => x.number), [made[1], made[0]]);
    // Filters still apply; a cursor from another list is refused.
    const st = await users.agent1.get(`/api/v1/cases?limit=50&q=${term}&state=closed`);
    assert.equal(st.json.items.length, 0);
    assert.equal((await users.agent1.get(`/api/v1/cases?q=${term}&cursor=nonsense`)).status, 400);
    const byNumber = await users.agent1.get(`/api/v1/cases?q=${made[0]}`);
    assert.deepEqual(byNumber.json.items.map((x) => x.number), [made[0]]);
  });
});
