// Ratings followed through and licences kept alive (issue 7; RULES.md §2 Art. 50 and §6):
// an application is rated once within 7 days (基本满意 when nobody rates); a 差评 opens a
// rectification case (差评整改) for the rated unit: call back within 1 WD, fix or open a ledger
// entry (15 WD) or explain, feed back to the rater, who may rate the rectification; a mistaken
// 差评 appealed and upheld leaves the statistics. A grant records the licence with its period of
// validity; holders are reminded before expiry; a renewal filed 30+ days ahead and not decided
// before the expiry counts as granted.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from './lib/client.mjs';
import { DEMO_PASSWORD, startServer } from './lib/server.mjs';

let srv;
const u = {};
before(async () => {
  srv = await startServer({ settings: { 'workflows.scheduler_seconds': 1 } });
  for (const name of ['clerk1', 'zjhandler1', 'zjhead1', 'cghandler1', 'approver1', 'supervisor1',
    'citizen1', 'enterprise1', 'leader1']) {
    u[name] = new Client(srv.base);
    assert.equal((await u[name].login(name, DEMO_PASSWORD)).status, 200, name);
  }
  for (const [code, kind] of [[NEW, 'new'], [RENEW, 'renew'], [CHANGE, 'change']]) {
    const r = await u.approver1.post('/api/v1/services', licenceItem(code, kind));
    assert.equal(r.status, 201, r.text);
    assert.equal((await u.approver1.post(`/api/v1/services/${code}/publish`, { version: 1 })).status, 200);
  }
});
after(async () => { await srv?.stop(); });

// 建筑业企业资质 at the housing bureau, valid five years: new (-01) and renewal (-03).
const NEW = '000111098000-220500000000-11220500032412309B-01';
const RENEW = '000111098000-220500000000-11220500032412309B-03';
const CHANGE = '000111098000-220500000000-11220500032412309B-02';
const DAY = 86400000;

function licenceItem(code, kind) {
  return {
    code, name: { renew: '建筑业企业资质（延续）', change: '建筑业企业资质（变更）' }[kind] ?? '建筑业企业资质（新办）',
    name_en: 'Construction enterprise qualification (test)', main_code: null,
    handling_kind: kind, item_type: 'licensing', legal_basis: '《建筑业企业资质管理规定》第十四条',
    org: 'tonghua.zjj', level: 'city', delegated_from: null, conditions: ['具有独立法人资格'],
    materials: [{ name: '申请表', form: 'original', copies: 1, required: true, condition: null, template: null }],
    steps: [{ name: '受理', working_days: 0, counts: true }, { name: '审查', working_days: 5, counts: true }],
    legal_limit_wd: 20, committed_limit_wd: 5, fees: [], place: '通化市政务服务中心二楼',
    hours: '工作日 8:30-17:00', visits: 0, online: true,
    phones: { consult: '0435-3200102', complaint: '0435-12345' }, faq: [],
    life_events: ['business'], validity_months: 60,
  };
}

let seq = 0;
async function applyOnline(who, code, extra = {}) {
  seq += 1;
  const r = await u[who].post('/api/v1/cases', {
    kind: 'application', type: 'new', channel: 'web', category: code,
    title: '资质申请' + seq, content: '网上申请', ...extra,
  }, { headers: { 'idempotency-key': `rl-${seq}-${Date.now()}` } });
  return r;
}

async function step(who, c, name, fields = {}, expected = 200) {
  const r = await u[who].post(`/api/v1/cases/${c.number}/transitions/${name}`, { version: c.version, ...fields });
  assert.equal(r.status, expected, `${who} ${name}: ${r.text}`);
  return expected === 200 ? r.json : r;
}

const clock = (c, name) => c.clocks.find((k) => k.name === name);
const get = async (who, number) => (await u[who].get(`/api/v1/cases/${number}`)).json;

// Applied online, accepted, reviewed, granted by the head and the certificate handed over.
async function grantedApplication(who = 'citizen1') {
  const r = await applyOnline(who, NEW);
  assert.equal(r.status, 201, r.text);
  let c = r.json.case;
  c = await step('clerk1', c, 'accept');
  c = await step('zjhandler1', c, 'review', { note: '符合条件' });
  c = await step('zjhead1', c, 'grant', { reply: '准予许可' });
  c = await step('clerk1', c, 'issue_certificate', { note: '电子证照已送达' });
  return c;
}

async function waitFor(fn, what, ms = 15000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) assert.fail('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// Moves a clock of a case into the past by `ms` (its deadline then passes for the scheduler).
function age(number, clockName, ms) {
  srv.sql(`UPDATE case_clocks SET start_at = start_at - ${ms}, deadline_at = deadline_at - ${ms}, ` +
    `warn_at = warn_at - ${ms} WHERE name = '${clockName}' AND case_id = (SELECT id FROM cases WHERE number = '${number}')`);
}

function shanghaiDate(ms) {
  return new Date(ms + 8 * 3600000).toISOString().slice(0, 10);
}

test('a grant records the licence with its period of validity; only the holder and the unit see it', async () => {
  const c = await grantedApplication();
  const ev = c.timeline.find((e) => e.action === 'grant');
  assert.match(ev.note, /licence XK\d{14} valid until \d{4}-\d{2}-\d{2}/);
  const mine = (await u.citizen1.get('/api/v1/licences')).json.items;
  const lic = mine.find((l) => l.case_number === c.number);
  assert.ok(lic, 'the holder sees the licence');
  assert.equal(lic.number, 'XK' + c.number.slice(2));
  assert.equal(lic.item_code, NEW);
  assert.equal(lic.status, 'valid');
  // Five years less a day: granted today, valid through the day before the same date in 2031.
  const granted = new Date(lic.granted_at);
  const y = Number(shanghaiDate(granted.getTime()).slice(0, 4)) + 5;
  const until = new Date(Date.UTC(y, Number(shanghaiDate(granted.getTime()).slice(5, 7)) - 1,
    Number(shanghaiDate(granted.getTime()).slice(8, 10))) - DAY).toISOString().slice(0, 10);
  assert.equal(lic.expires_on, until);
  assert.ok(lic.days_left > 1800);
  // Another applicant does not see it; the issuing unit does; another unit does not.
  assert.ok(!(await u.enterprise1.get('/api/v1/licences')).json.items.some((l) => l.number === lic.number));
  assert.ok((await u.zjhandler1.get('/api/v1/licences')).json.items.some((l) => l.number === lic.number));
  assert.ok(!(await u.cghandler1.get('/api/v1/licences')).json.items.some((l) => l.number === lic.number));
  assert.equal((await new Client(srv.base).get('/api/v1/licences')).status, 401);
  // The applicant was told of the decision.
  const notes = (await u.citizen1.get('/api/v1/notifications')).json.items;
  assert.ok(notes.some((n) => n.kind === 'case.replied' && n.link === c.number && n.body === '准予许可'));
});

test('rated once within 7 days; a 差评 needs reasons and opens a rectification for the unit', async () => {
  let c = await grantedApplication();
  assert.equal(clock(c, 'rating').level, 'open');
  assert.ok(c.transitions.some((t) => t.name === 'rate'), 'the window may record an on-site rating');
  const mine = await get('citizen1', c.number);
  assert.ok(mine.transitions.some((t) => t.name === 'rate'), 'the applicant is offered the rating');
  await step('citizen1', mine, 'rate', { satisfaction: 2 }, 400);
  c = await step('citizen1', mine, 'rate', { satisfaction: 2, reasons: '办理时间长，多次补材料' });
  assert.equal(c.satisfaction, 2);
  assert.equal(clock(c, 'rating').stopped, true);
  // Once online: a second rating is refused.
  const again = await step('citizen1', c, 'rate', { satisfaction: 5 }, 409);
  assert.match(again.json.detail, /rating/i);
  const child = c.related.find((r) => r.relation === 'child');
  assert.ok(child, 'a rectification was opened: ' + JSON.stringify(c.related));
  assert.match(child.number, /^ZG\d{14}$/);
  assert.equal(child.kind, 'rectification');
  // The rated unit handles it; the rater follows it; another unit never sees it.
  let z = await get('zjhandler1', child.number);
  assert.equal(z.state, 'opened');
  assert.equal(z.related[0].number, c.number);
  assert.equal(z.related[0].relation, 'parent');
  assert.equal(clock(z, 'verify').length, 1);
  assert.equal(clock(z, 'verify').unit, 'working_days');
  assert.equal((await u.cghandler1.get(`/api/v1/cases/${child.number}`)).status, 404);
  assert.equal((await u.citizen1.get(`/api/v1/cases/${child.number}`)).status, 200);
  // Nobody files a rectification by hand.
  const filed = await u.clerk1.post('/api/v1/cases', {
    kind: 'rectification', type: 'bad_rating', channel: 'visit', title: 't', content: 'c',
  });
  assert.equal(filed.status, 400);
  assert.match(filed.json.detail, /opened by Huiyin/);
  // Call back (1 WD), a ledger entry with 15 WD, rectified, fed back.
  z = await step('zjhandler1', z, 'verify', { note: '已电话回访，情况属实' });
  assert.equal(clock(z, 'verify').level, 'stopped_on_time');
  await step('zjhandler1', z, 'open_ledger', { reason: '优化补正流程' }, 403);
  z = await step('zjhead1', z, 'open_ledger', { reason: '优化补正流程，推行一次性告知清单' });
  assert.equal(z.state, 'rectifying');
  assert.equal(clock(z, 'rectify').length, 15);
  z = await step('zjhandler1', z, 'complete', { reply: '已修订材料清单并培训窗口人员' });
  assert.equal(z.state, 'rectified');
  assert.equal(clock(z, 'rating').level, 'open');
  const notes = (await u.citizen1.get('/api/v1/notifications')).json.items;
  assert.ok(notes.some((n) => n.link === child.number && /材料清单/.test(n.body)), 'the rater is told');
  // The rater rates the rectification; no second rectification comes of it.
  z = await get('citizen1', child.number);
  z = await step('citizen1', z, 'rate', { satisfaction: 4 });
  assert.equal(z.satisfaction, 4);
  assert.equal(z.related.filter((r) => r.relation === 'child').length, 0);
});

test('an appealed mistaken 差评, once upheld, leaves the statistics', async () => {
  const stats = async () => {
    const r = await u.leader1.get('/api/v1/service-statistics?from=2020-01-01&to=2099-01-01');
    assert.equal(r.status, 200, r.text);
    return r.json.items.find((i) => i.code === NEW);
  };
  let c = await grantedApplication('enterprise1');
  c = await get('enterprise1', c.number);
  c = await step('enterprise1', c, 'rate', { satisfaction: 1, reasons: '误评' });
  const before = await stats();
  const number = c.related.find((r) => r.relation === 'child').number;
  let z = await get('zjhead1', number);
  await step('zjhead1', z, 'dispute', { reason: '评价人称误操作' }, 409);  // verify first
  z = await step('zjhandler1', z, 'verify', { note: '回访：企业表示误点' });
  z = await step('zjhead1', z, 'dispute', { reason: '评价人确认误操作，附通话记录' });
  assert.equal(z.state, 'disputed');
  await step('zjhead1', z, 'uphold_dispute', { reason: '同意' }, 403);  // not the unit's own call
  z = await step('supervisor1', z, 'uphold_dispute', { reason: '经核实属误评，予以剔除' });
  assert.equal(z.state, 'excluded');
  const afterStats = await stats();
  assert.equal(afterStats.rated, before.rated - 1, 'the excluded rating is not counted');
  c = await get('zjhead1', c.number);
  assert.equal(c.satisfaction, null);
});

test('nobody rated within 7 days: recorded as 基本满意 by Huiyin', async () => {
  let c = await grantedApplication();
  age(c.number, 'rating', 8 * DAY);
  c = await waitFor(async () => {
    const v = await get('zjhead1', c.number);
    return v.timeline.some((e) => e.action === 'default_rating') ? v : null;
  }, 'the default rating');
  assert.equal(c.satisfaction, 3);
  assert.equal(clock(c, 'rating').stopped, true);
  assert.equal(c.related.length, 0, 'no rectification for a default rating');
  const ev = c.timeline.find((e) => e.action === 'default_rating');
  assert.equal(ev.actor_name, '系统 Huiyin');
  const mine = await get('citizen1', c.number);
  assert.ok(!mine.transitions.some((t) => t.name === 'rate'), 'too late to rate');
});

test('renewals: 30 days ahead, one at a time, the holder only; undecided at expiry = granted (Art. 50)', async () => {
  const c = await grantedApplication();
  const lic = (await u.citizen1.get('/api/v1/licences')).json.items.find((l) => l.case_number === c.number);
  // The renewal item must be filed as a renewal naming the licence.
  let r = await applyOnline('citizen1', RENEW);
  assert.equal(r.status, 400);
  assert.match(r.json.detail, /type renew/);
  r = await applyOnline('citizen1', RENEW, { type: 'renew' });
  assert.equal(r.status, 400);
  assert.match(r.json.detail, /licence/);
  r = await applyOnline('enterprise1', RENEW, { type: 'renew', licence: lic.number });
  assert.equal(r.status, 400, 'not the holder');
  assert.match(r.json.detail, /no licence/);
  // 20 days before expiry: too late to renew.
  const id = `(SELECT id FROM licences WHERE number = '${lic.number}')`;
  const endOfDay = (days) => {
    const d = shanghaiDate(Date.now() + days * DAY);
    return Date.parse(d + 'T23:59:59.999+08:00');
  };
  srv.sql(`UPDATE licences SET expires_at = ${endOfDay(20)} WHERE id = ${id}`);
  r = await applyOnline('citizen1', RENEW, { type: 'renew', licence: lic.number });
  assert.equal(r.status, 400);
  assert.match(r.json.detail, /30 days before/);
  // 40 days before: filed; the expiry clock runs to the last valid day.
  const expires = endOfDay(40);
  srv.sql(`UPDATE licences SET expires_at = ${expires}, reminded_at = 1 WHERE id = ${id}`);
  r = await applyOnline('citizen1', RENEW, { type: 'renew', licence: lic.number });
  assert.equal(r.status, 201, r.text);
  let renewal = r.json.case;
  assert.equal(new Date(clock(renewal, 'expiry').deadline).getTime(), expires - 999, 'seconds precision');
  r = await applyOnline('citizen1', RENEW, { type: 'renew', licence: lic.number });
  assert.equal(r.status, 409, 'one open renewal at a time');
  assert.match(r.json.detail, new RegExp(renewal.number));
  renewal = await get('clerk1', renewal.number);
  renewal = await step('clerk1', renewal, 'accept');
  // The unit does not decide before the expiry: Huiyin records the renewal as granted.
  age(renewal.number, 'expiry', 41 * DAY);
  renewal = await waitFor(async () => {
    const v = await get('zjhead1', renewal.number);
    return v.state === 'granted' ? v : null;
  }, 'the deemed renewal');
  const ev = renewal.timeline.find((e) => e.action === 'deem_renewed');
  assert.ok(ev);
  assert.match(renewal.reply, /视为准予延续/);
  assert.equal(clock(renewal, 'decision').stopped, true);
  assert.equal(clock(renewal, 'certificate').stopped, false);
  const after = (await u.citizen1.get('/api/v1/licences')).json.items.find((l) => l.number === lic.number);
  assert.equal(after.renewals, 1);
  assert.equal(after.renewed_by, renewal.number);
  const old = shanghaiDate(expires);
  assert.equal(after.expires_on, `${Number(old.slice(0, 4)) + 5}${old.slice(4)}`, 'extended by five years');
  assert.equal(after.reminded_at, null, 're-armed for the next expiry');
});

test('holders are reminded once before expiry, by the scheduler', async () => {
  const c = await grantedApplication('enterprise1');
  const lic = (await u.enterprise1.get('/api/v1/licences')).json.items.find((l) => l.case_number === c.number);
  srv.sql(`UPDATE licences SET expires_at = ${Date.now() + 50 * DAY} WHERE number = '${lic.number}'`);
  const notes = await waitFor(async () => {
    const items = (await u.enterprise1.get('/api/v1/notifications?unread=true')).json.items;
    return items.some((n) => n.link === lic.number) ? items : null;
  }, 'the renewal reminder');
  const n = notes.find((x) => x.link === lic.number);
  assert.equal(n.kind, 'licence.renewal_due');
  assert.match(n.body, /第五十条/);
  // Several scheduler passes later, still one reminder.
  await new Promise((r) => setTimeout(r, 2500));
  const all = (await u.enterprise1.get('/api/v1/notifications')).json.items.filter((x) => x.link === lic.number);
  assert.equal(all.length, 1);
  const l = (await u.enterprise1.get('/api/v1/licences?expiring_within_days=60')).json.items.find((x) => x.number === lic.number);
  assert.equal(l.status, 'renewal_due');
  assert.ok(l.reminded_at);
  // Read; another account cannot mark it.
  assert.equal((await u.citizen1.post(`/api/v1/notifications/${n.id}/read`, {})).status, 404);
  assert.equal((await u.enterprise1.post(`/api/v1/notifications/${n.id}/read`, {})).status, 204);
  const unread = (await u.enterprise1.get('/api/v1/notifications?unread=true')).json.items;
  assert.ok(!unread.some((x) => x.id === n.id));
});

test('a change (变更) is decided without issuing a second licence', async () => {
  const before = (await u.citizen1.get('/api/v1/licences')).json.items.length;
  let c = (await applyOnline('citizen1', CHANGE, { type: 'change' })).json.case;
  c = await step('clerk1', c, 'accept');
  c = await step('zjhandler1', c, 'review', { note: '变更事项符合条件' });
  c = await step('zjhead1', c, 'grant', { reply: '准予变更' });
  assert.equal(c.state, 'granted');
  assert.ok(!/licence XK/.test(c.timeline.find((e) => e.action === 'grant').note));
  assert.equal((await u.citizen1.get('/api/v1/licences')).json.items.length, before);
});

