// Letters and visits (信访) on the same engine (issue 4; 信访工作条例 2022): register and route within
// 15 days, acknowledgement within 15 days, answer within 60 days (+30 with the head's approval),
// objection within 5 working days, review and re-review.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from './lib/client.mjs';
import { DEMO_PASSWORD, startServer } from './lib/server.mjs';

let srv;
const u = {};
before(async () => {
  srv = await startServer();
  for (const name of ['dispatcher1', 'zjhandler1', 'zjhead1', 'supervisor1', 'leader1']) {
    u[name] = new Client(srv.base);
    assert.equal((await u[name].login(name, DEMO_PASSWORD)).status, 200);
  }
});
after(async () => { await srv?.stop(); });

async function step(who, c, name, fields = {}, expected = 200) {
  const r = await u[who].post(`/api/v1/cases/${c.number}/transitions/${name}`, { version: c.version, ...fields });
  assert.equal(r.status, expected, `${who} ${name}: ${r.text}`);
  return r.json;
}

test('a petition is routed, acknowledged, extended by 30 days, answered, reviewed and closed', async () => {
  const orgs = (await u.dispatcher1.get('/api/v1/orgs')).json.items;
  const zj = orgs.find((o) => o.name === '住房和城乡建设局').id;
  const r = await u.dispatcher1.post('/api/v1/cases', {
    kind: 'petition', type: 'claim', channel: 'visit', title: '房屋质量问题', content: '新房漏水，开发商拒不维修',
    requester: { name: '孙七', phone: '13500004444' },
  }, { headers: { 'idempotency-key': 'petition-loop-1' } });
  assert.equal(r.status, 201, r.text);
  let c = r.json.case;
  assert.match(c.number, /^XF\d{14}$/);
  const register = c.clocks.find((k) => k.name === 'register');
  assert.equal(register.unit, 'calendar_days');
  assert.equal(register.length, 15);

  c = await step('dispatcher1', c, 'transfer', { lead_org_id: zj });
  assert.equal(c.state, 'transferred');
  assert.equal(c.clocks.find((k) => k.name === 'acknowledge').length, 15);
  assert.equal(c.clocks.find((k) => k.name === 'object_window').unit, 'working_days');
  // The unit objects within 5 working days: back to the 信访 office to route again.
  c = await step('zjhandler1', c, 'object', { reason: '属于人民法院受理范围' });
  assert.equal(c.state, 'registered');
  c = await step('dispatcher1', c, 'transfer', { lead_org_id: zj });
  c = await step('zjhandler1', c, 'acknowledge', { note: '已于今日书面告知信访人受理情况' });
  assert.equal(c.state, 'accepted');
  const handle = c.clocks.find((k) => k.name === 'handle');
  assert.equal(handle.length, 60);
  // Complex case: the unit head extends by 30 days (no more).
  let bad = await u.zjhead1.post(`/api/v1/cases/${c.number}/transitions/extend`, { version: c.version, days: 31, reason: '复杂' });
  assert.equal(bad.status, 400);
  bad = await u.zjhandler1.post(`/api/v1/cases/${c.number}/transitions/extend`, { version: c.version, days: 30, reason: '复杂' });
  assert.equal(bad.status, 403, 'only the head approves an extension');
  c = await step('zjhead1', c, 'extend', { days: 30, reason: '需委托第三方检测' });
  assert.equal(c.clocks.find((k) => k.name === 'handle').extended, 30);
  c = await step('zjhandler1', c, 'answer', { reply: '已责令开发商限期维修' });
  assert.equal(c.state, 'answered');
  assert.ok(c.clocks.find((k) => k.name === 'review_window'));
  // Review requested on the petitioner's behalf, answered by the supervisor, then closed.
  c = await step('dispatcher1', c, 'request_review', { reason: '维修未完成' });
  assert.equal(c.state, 'review');
  assert.equal(c.clocks.find((k) => k.name === 'review').length, 30);
  c = await step('supervisor1', c, 'answer_review', { reply: '复查维持原处理意见，并督促维修' });
  assert.equal(c.state, 'review_answered');
  c = await step('dispatcher1', c, 'close');
  assert.equal(c.state, 'closed');
  assert.ok(c.clocks.every((k) => k.stopped));
});

test('a review window is a period for the petitioner: it closes, it never makes the case late', async () => {
  const zj = (await u.dispatcher1.get('/api/v1/orgs')).json.items.find((o) => o.name === '住房和城乡建设局').id;
  let c = (await u.dispatcher1.post('/api/v1/cases', {
    kind: 'petition', type: 'claim', channel: 'letter', title: '供暖不达标', content: '冬季室温长期低于十六度',
  }, { headers: { 'idempotency-key': 'petition-window-1' } })).json.case;
  c = await step('dispatcher1', c, 'transfer', { lead_org_id: zj });
  c = await step('zjhandler1', c, 'acknowledge', { note: '已告知受理' });
  c = await step('zjhandler1', c, 'answer', { reply: '已督促供热公司整改' });
  let w = c.clocks.find((k) => k.name === 'review_window');
  assert.equal(w.window, true);
  assert.equal(w.level, 'open');
  assert.equal(c.clocks.find((k) => k.name === 'handle').window, false);
  // Thirty-one days later the window has passed unused: closed, and the case is not overdue.
  const month = 31 * 86400000;
  srv.sql(`UPDATE case_clocks SET start_at = start_at - ${month}, deadline_at = deadline_at - ${month}, ` +
    `warn_at = warn_at - ${month} WHERE name = 'review_window' AND case_id = (SELECT id FROM cases WHERE number = '${c.number}')`);
  c = (await u.dispatcher1.get(`/api/v1/cases/${c.number}`)).json;
  w = c.clocks.find((k) => k.name === 'review_window');
  assert.equal(w.level, 'closed');
  const overdue = (await u.dispatcher1.get('/api/v1/cases?queue=overdue&limit=200')).json.items;
  assert.ok(!overdue.some((x) => x.number === c.number), 'a passed window is not overdue');
  const red = (await u.dispatcher1.get('/api/v1/cases?level=red&limit=200')).json.items;
  assert.ok(!red.some((x) => x.number === c.number));
  const all = (await u.dispatcher1.get('/api/v1/cases?kind=petition&limit=200')).json.items;
  const row = all.find((x) => x.number === c.number);
  assert.ok(row, 'listed');
  assert.notEqual(row.level, 'red');
  // The same shift on the handling obligation does make a case overdue (the check can fail).
  let d = (await u.dispatcher1.post('/api/v1/cases', {
    kind: 'petition', type: 'claim', channel: 'letter', title: '噪音扰民', content: '夜间施工噪音',
  }, { headers: { 'idempotency-key': 'petition-window-2' } })).json.case;
  d = await step('dispatcher1', d, 'transfer', { lead_org_id: zj });
  d = await step('zjhandler1', d, 'acknowledge', { note: '已告知受理' });
  const late = 100 * 86400000;
  srv.sql(`UPDATE case_clocks SET start_at = start_at - ${late}, deadline_at = deadline_at - ${late}, ` +
    `warn_at = warn_at - ${late} WHERE name = 'handle' AND case_id = (SELECT id FROM cases WHERE number = '${d.number}')`);
  const overdue2 = (await u.dispatcher1.get('/api/v1/cases?queue=overdue&limit=200')).json.items;
  assert.ok(overdue2.some((x) => x.number === d.number));
});

test('a matter for the courts is redirected and the re-review decision is final', async () => {
  let c = (await u.dispatcher1.post('/api/v1/cases', {
    kind: 'petition', type: 'claim', channel: 'letter', title: '合同纠纷', content: '要求政府判决合同无效',
  }, { headers: { 'idempotency-key': 'petition-redirect-1' } })).json.case;
  c = await step('dispatcher1', c, 'redirect', { channel: '人民法院', reason: '属于诉讼途径' });
  assert.equal(c.state, 'redirected');
  const r = await u.dispatcher1.post(`/api/v1/cases/${c.number}/transitions/transfer`, { version: c.version, lead_org_id: 1 });
  assert.equal(r.status, 409);
});
