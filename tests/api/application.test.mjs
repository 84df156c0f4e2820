// Applications (办件, issue 7; RULES.md §2): a new case kind on the same engine
// (config/workflows/application.json). Only published catalogue items may be applied for; the
// window accepts, gives the one-time notice or refuses naming the right body; the implementing
// unit reviews (two people: a reviewer, then the head decides); expert review pauses the decision
// clock (Art. 45); the head may extend by 10 working days (Art. 42); a case keeps the item
// version it was filed under; an abolished item takes no new applications.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from './lib/client.mjs';
import { DEMO_PASSWORD, startServer } from './lib/server.mjs';

let srv;
const u = {};
before(async () => {
  srv = await startServer({ settings: { 'workflows.scheduler_seconds': 1 } });
  for (const name of ['clerk1', 'zjhandler1', 'zjhead1', 'cghandler1', 'approver1', 'leader1']) {
    u[name] = new Client(srv.base);
    assert.equal((await u[name].login(name, DEMO_PASSWORD)).status, 200, name);
  }
});
after(async () => { await srv?.stop(); });

const FIRE = '000111003000-220500000000-11220500032412309B-01'; // 特殊建设工程消防设计审查: 15 / 8 WD

let seq = 0;
async function apply(code, extra = {}) {
  seq += 1;
  return u.clerk1.post('/api/v1/cases', {
    kind: 'application', type: 'new', channel: 'visit', category: code,
    title: '申请' + seq, content: '窗口受理的申请', requester: { name: '赵六', phone: '13600005555' }, ...extra,
  }, { headers: { 'idempotency-key': `application-${seq}-${Date.now()}` } });
}

async function step(who, c, name, fields = {}, expected = 200) {
  const r = await u[who].post(`/api/v1/cases/${c.number}/transitions/${name}`, { version: c.version, ...fields });
  assert.equal(r.status, expected, `${who} ${name}: ${r.text}`);
  return expected === 200 ? r.json : c;
}

const clock = (c, name) => c.clocks.find((k) => k.name === name);

// An item of the housing bureau decided on the spot (committed limit 0, 即办).
function spotItem(code, committed = 0) {
  return {
    code, name: '建设工程档案查询（测试）', name_en: 'Construction archive enquiry (test)', main_code: null,
    handling_kind: 'new', item_type: 'public_service', legal_basis: '《城市建设档案管理规定》第十条',
    org: 'tonghua.zjj', level: 'city', delegated_from: null, conditions: ['申请人为工程建设单位或产权人'],
    materials: [
      { name: '查询申请表', form: 'original', copies: 1, required: true, condition: null, template: null },
      { name: '身份证明', form: 'copy', copies: 1, required: true, condition: null, template: null },
    ],
    steps: [{ name: '受理', working_days: 0, counts: true }, { name: '办结', working_days: committed, counts: true }],
    legal_limit_wd: 5, committed_limit_wd: committed, fees: [], place: '通化市政务服务中心一楼',
    hours: '工作日 8:30-17:00', visits: 1, online: false,
    phones: { consult: '0435-3200102', complaint: '0435-12345' }, faq: [{ q: '可以代办吗？', a: '可以，持委托书。' }],
    life_events: ['construction'], validity_months: null,
  };
}

test('only published items may be applied for', async () => {
  let r = await apply('');
  assert.equal(r.status, 400, r.text);
  assert.match(r.json.detail, /category/);
  r = await apply('000000000000-220500000000-11220500032412309B-99');
  assert.equal(r.status, 400);
  assert.match(r.json.detail, /only items registered in the catalogue/);
  // A draft of the demo catalogue (新生儿出生"一件事"联办) cannot be applied for either.
  r = await apply('002018004000-220500000000-11220500030049155U-01');
  assert.equal(r.status, 400, r.text);
});

test('a complete application decided on the spot, then the certificate', async () => {
  const code = '000111099000-220500000000-11220500032412309B-01';
  let r = await u.approver1.post('/api/v1/services', spotItem(code));
  assert.equal(r.status, 201, r.text);
  assert.equal((await u.approver1.post(`/api/v1/services/${code}/publish`, { version: 1 })).status, 200);
  r = await apply(code);
  assert.equal(r.status, 201, r.text);
  let c = r.json.case;
  assert.match(c.number, /^BJ\d{14}$/);
  assert.equal(c.state, 'submitted');
  assert.equal(c.attributes.item_code, code);
  assert.equal(c.attributes.item_version, 1);
  assert.equal(clock(c, 'acceptance').length, 5);
  const check = r.json.check_code;
  c = await step('clerk1', c, 'accept');
  assert.equal(c.state, 'accepted');
  assert.equal(clock(c, 'decision').length, 1, 'on the spot: the decision has its day');
  // The window (granted over the whole city, but not the hotline centre) and the unit see the
  // applicant masked, as a unit does; a leader (the centre's overseer) not at all.
  for (const who of ['clerk1', 'zjhandler1']) {
    const seen = (await u[who].get(`/api/v1/cases/${c.number}`)).json;
    assert.deepEqual([seen.requester.name, seen.requester.phone], ['赵*', '136****5555'], who);
  }
  assert.deepEqual((await u.leader1.get(`/api/v1/cases/${c.number}`)).json.requester.name, '');
  // Two people: the unit's handler reviews, only the head decides.
  c = await step('zjhandler1', c, 'review', { note: '材料齐全，符合条件' });
  await step('zjhandler1', c, 'grant', { reply: '准予' }, 403);
  c = await step('zjhead1', c, 'grant', { reply: '准予办理，档案已出具' });
  assert.equal(c.state, 'granted');
  assert.equal(clock(c, 'decision').level, 'stopped_on_time');
  assert.equal(clock(c, 'certificate').length, 10);
  c = await step('clerk1', c, 'issue_certificate', { note: '窗口现场领取' });
  assert.equal(c.state, 'certificate_issued');
  assert.ok(c.clocks.every((k) => k.stopped || k.name === 'rating'), 'only the rating period runs');
  assert.equal(clock(c, 'rating').level, 'open');
  // The applicant follows progress by number and check code on the portal.
  const pub = await new Client(srv.base).get(`/api/v1/cases/${c.number}?check_code=${check}`);
  assert.equal(pub.status, 200, pub.text);
  assert.equal(pub.json.state, 'certificate_issued');
  assert.equal(pub.json.reply, '准予办理，档案已出具');
  // Another unit's handler cannot review it.
  assert.equal((await u.cghandler1.get(`/api/v1/cases/${c.number}`)).status, 404);
});

test('an incomplete application: one single notice of everything missing, then acceptance', async () => {
  const filed = (await apply(FIRE)).json;
  let c = filed.case;
  c = await step('clerk1', c, 'notify_missing', { reason: '缺少：1. 消防设计文件；2. 建设工程规划许可证复印件' });
  assert.equal(c.state, 'awaiting_supplement');
  // The notice reaches the applicant: its text is on the public tracking view.
  const pub = await new Client(srv.base).get(`/api/v1/cases/${c.number}?check_code=${filed.check_code}`);
  const notice = pub.json.timeline.find((e) => e.action === 'notify_missing');
  assert.match(notice.note, /消防设计文件/);
  assert.equal(notice.actor_name, '', 'staff names stay internal');
  assert.equal(clock(c, 'acceptance').stopped, true);
  assert.ok(c.timeline.some((e) => e.action === 'notify_missing'));
  c = await step('clerk1', c, 'supplement', { note: '已补齐全部材料' });
  assert.equal(c.state, 'supplemented');
  assert.equal(clock(c, 'acceptance').stopped, false, 'the acceptance clock runs again');
  // One notice only (一次性告知): a second one is not possible.
  await step('clerk1', c, 'notify_missing', { reason: '还缺一份' }, 409);
  c = await step('clerk1', c, 'accept');
  assert.equal(c.state, 'accepted');
  assert.equal(clock(c, 'decision').length, 8, 'the committed limit of the item');
});

test('a refusal names the right body', async () => {
  let c = (await apply(FIRE, { title: '申请营业执照' })).json.case;
  await step('clerk1', c, 'refuse', { reason: '不属于本机关职权范围' }, 400);
  c = await step('clerk1', c, 'refuse', { reason: '不属于本机关职权范围', channel: '通化市市场监督管理局' });
  assert.equal(c.state, 'not_accepted');
  assert.ok(c.timeline.some((e) => e.action === 'refuse'));
  assert.ok(c.clocks.every((k) => k.stopped || k.name === 'rating'), 'only the rating period runs');
});

test('expert review pauses the decision clock (Art. 45) and the head extends by at most 10 WD (Art. 42)', async () => {
  let c = (await apply(FIRE)).json.case;
  c = await step('clerk1', c, 'accept');
  c = await step('zjhandler1', c, 'review', { note: '进入技术审查' });
  c = await step('zjhandler1', c, 'expert_review', { reason: 'expert_review', note: '组织专家评审，约需 5 个工作日，已书面告知申请人' });
  assert.equal(c.state, 'expert_review');
  assert.equal(clock(c, 'decision').paused, true);
  c = await step('zjhandler1', c, 'resume', { note: '专家评审结束' });
  assert.equal(clock(c, 'decision').paused, false);
  // The same clock placed around the 2025 National Day break: accepted Fri 26 Sep, paused from
  // Tue 30 Sep to Thu 9 Oct. 8 WD would end Tue 14 Oct (Sun 28 Sep and Sat 11 Oct are make-up
  // working days); the pause holds 1 working day (9 Oct), so the decision is due Wed 15 Oct.
  const id = `(SELECT k.id FROM case_clocks k JOIN cases c ON c.id = k.case_id WHERE c.number = '${c.number}' AND k.name = 'decision')`;
  const ms = (iso) => new Date(iso).getTime();
  srv.sql(`UPDATE case_clocks SET start_at = ${ms('2025-09-26T10:00:00+08:00')} WHERE id = ${id}`);
  srv.sql(`UPDATE clock_pauses SET from_at = ${ms('2025-09-30T10:00:00+08:00')}, to_at = ${ms('2025-10-09T10:00:00+08:00')} WHERE clock_id = ${id}`);
  const shown = (await u.zjhead1.get(`/api/v1/cases/${c.number}`)).json;
  assert.ok(clock(shown, 'decision').deadline.startsWith('2025-10-15T23:59:59'), clock(shown, 'decision').deadline);
  // Extension: the head only, at most 10 working days (before the deadline: a fresh case).
  c = (await apply(FIRE)).json.case;
  c = await step('clerk1', c, 'accept');
  await step('zjhandler1', c, 'extend', { days: 5, reason: '情况复杂' }, 403);
  await step('zjhead1', c, 'extend', { days: 11, reason: '情况复杂' }, 400);
  c = await step('zjhead1', c, 'extend', { days: 10, reason: '情况复杂，需现场核查' });
  assert.equal(clock(c, 'decision').extended, 10);
});

test('a changed item: old cases keep their version; an abolished item takes no new applications while open ones finish', async () => {
  const code = '000111098000-220500000000-11220500032412309B-01';
  assert.equal((await u.approver1.post('/api/v1/services', spotItem(code, 3))).status, 201);
  assert.equal((await u.approver1.post(`/api/v1/services/${code}/publish`, { version: 1 })).status, 200);
  let old = (await apply(code)).json.case;
  old = await step('clerk1', old, 'accept');
  assert.equal(clock(old, 'decision').length, 3);
  // Version 2 commits to 2 working days.
  let r = await u.approver1.put(`/api/v1/services/${code}`, { version: 1, content: spotItem(code, 2) });
  assert.equal(r.status, 200, r.text);
  assert.equal((await u.approver1.post(`/api/v1/services/${code}/publish`, { version: 2 })).status, 200);
  let fresh = (await apply(code)).json.case;
  assert.equal(fresh.attributes.item_version, 2);
  fresh = await step('clerk1', fresh, 'accept');
  assert.equal(clock(fresh, 'decision').length, 2);
  old = (await u.zjhead1.get(`/api/v1/cases/${old.number}`)).json;
  assert.equal(old.attributes.item_version, 1, 'the case keeps the version it was filed under');
  assert.equal(clock(old, 'decision').length, 3);
  // Abolished: refused for new applications, the open case still finishes.
  r = await u.approver1.post(`/api/v1/services/${code}/abolish`, { version: 2, reason: '并入其他事项办理' });
  assert.equal(r.status, 200, r.text);
  r = await apply(code);
  assert.equal(r.status, 409, r.text);
  assert.match(r.json.detail, /abolished/);
  old = await step('zjhandler1', old, 'review', { note: '审查' });
  old = await step('zjhead1', old, 'grant', { reply: '准予' });
  assert.equal(old.state, 'granted');
});

test('no notice within 5 working days: the application counts as accepted from the day it arrived (Art. 32)', async () => {
  let c = (await apply(FIRE)).json.case;
  // Submitted ten days ago and left without a notice.
  const tenDays = 10 * 86400000;
  const arrived = new Date(new Date(clock(c, 'acceptance').start).getTime() - tenDays);
  srv.sql(`UPDATE case_clocks SET start_at = start_at - ${tenDays}, deadline_at = deadline_at - ${tenDays}, ` +
    `warn_at = warn_at - ${tenDays} WHERE name = 'acceptance' AND case_id = (SELECT id FROM cases WHERE number = '${c.number}')`);
  // Too late for the one-time notice (unless the scheduler was quicker: either way refused).
  await step('clerk1', c, 'notify_missing', { reason: '缺少材料' }, 409);
  // Nobody may take the automatic step by hand.
  const byHand = await u.clerk1.post(`/api/v1/cases/${c.number}/transitions/deem_accepted`, { version: c.version });
  assert.ok([403, 409].includes(byHand.status), byHand.text);
  // The scheduler (every second in this server) takes it.
  const until = Date.now() + 15000;
  while (Date.now() < until) {
    c = (await u.zjhead1.get(`/api/v1/cases/${c.number}`)).json;
    if (c.state === 'accepted') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(c.state, 'accepted', 'deemed accepted by the scheduler');
  const decision = clock(c, 'decision');
  assert.equal(new Date(decision.start).getTime(), arrived.getTime(), 'the decision clock runs from the day it arrived');
  const ev = c.timeline.find((e) => e.action === 'deem_accepted');
  assert.ok(ev, 'on the timeline');
  assert.equal(ev.actor_name, '系统 Huiyin');
  assert.ok(!c.transitions.some((t) => t.name === 'deem_accepted'), 'never offered to people');
});

test('counting per item and organisation; items nobody applied for are listed', async () => {
  const day = 86400000;
  const q = `from=${encodeURIComponent(new Date(Date.now() - day).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + day).toISOString())}`;
  assert.equal((await u.zjhandler1.get(`/api/v1/service-statistics?${q}`)).status, 403);
  const r = await u.leader1.get(`/api/v1/service-statistics?${q}`);
  assert.equal(r.status, 200, r.text);
  const fire = r.json.items.find((i) => i.code === FIRE);
  // Filed in this file: the incomplete one, the refused one, two reviewed ones, the deemed one.
  assert.equal(fire.applications, 5);
  assert.equal(fire.accepted, 4);
  assert.equal(fire.not_accepted, 1);
  assert.equal(fire.acceptance_rate, 0.8);
  assert.equal(fire.decided, 0);
  assert.equal(fire.committed_limit_wd, 8);
  assert.ok(fire.visits >= 0);
  const spot = r.json.items.find((i) => i.code === '000111099000-220500000000-11220500032412309B-01');
  assert.equal(spot.decided, 1);
  assert.equal(spot.decided_on_time, 1);
  assert.equal(spot.on_time_rate, 1);
  const zj = r.json.orgs.find((o) => o.org_name === '住房和城乡建设局');
  assert.equal(zj.applications, 8);  // 5 for the fire review, 1 on the spot, 2 for the changed item
  assert.ok(r.json.never_applied.includes('000124001000-220500000000-112205000624024356-01'), 'nobody applied for the food licence');
  assert.ok(!r.json.never_applied.includes(FIRE));
  assert.match(r.json.definitions.acceptance_rate, /受理率/);
  // A department head sees the items of its own bureau only.
  const head = await u.zjhead1.get(`/api/v1/service-statistics?${q}`);
  assert.equal(head.status, 200, head.text);
  assert.ok(head.json.items.length > 0);
  assert.ok(head.json.items.every((i) => i.org_name === '住房和城乡建设局'));
});

test('four eyes: the head who reviewed an application does not also decide it', async () => {
  let c = (await apply(FIRE)).json.case;
  c = await step('clerk1', c, 'accept');
  c = await step('zjhead1', c, 'review', { note: '负责人自行审查' });
  assert.ok(!c.transitions.some((t) => t.name === 'grant' || t.name === 'deny'), 'not offered to the reviewer');
  const r = await u.zjhead1.post(`/api/v1/cases/${c.number}/transitions/grant`, { version: c.version, reply: '准予' });
  assert.equal(r.status, 403, r.text);
  assert.match(r.json.detail, /someone other than who took 'review'/);
  // The case is untouched: still under review, same version.
  const again = (await u.zjhead1.get(`/api/v1/cases/${c.number}`)).json;
  assert.equal(again.state, 'reviewing');
  assert.equal(again.version, c.version);
});
