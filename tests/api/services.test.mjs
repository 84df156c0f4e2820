// The service catalogue (事项清单, issue 7; RULES.md §2): the public service guide over the demo
// city's items, and the lifecycle draft → published → changed (versioned) → abolished with the
// roles that may do each step.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from './lib/client.mjs';
import { DEMO_PASSWORD, startServer } from './lib/server.mjs';

let srv;
const u = {};
before(async () => {
  srv = await startServer();
  for (const name of ['approver1', 'zjhead1', 'zjhandler1', 'auditadmin1']) {
    u[name] = new Client(srv.base);
    assert.equal((await u[name].login(name, DEMO_PASSWORD)).status, 200, name);
  }
});
after(async () => { await srv?.stop(); });

const FOOD = '000124001000-220500000000-112205000624024356-01';

// A complete item of the housing bureau (住房和城乡建设局), valid as it stands.
function item(overrides = {}) {
  return {
    code: '000110009000-220500000000-11220500MB0000001X-01',
    name: '城镇污水排入排水管网许可（测试）',
    name_en: 'Permit to discharge sewage into the drainage network (test)',
    main_code: null,
    handling_kind: 'new',
    item_type: 'licensing',
    legal_basis: '《城镇排水与污水处理条例》第二十一条',
    org: 'tonghua.zjj',
    level: 'city',
    delegated_from: null,
    conditions: ['排水户已按规定建设排水设施'],
    materials: [
      { name: '排水许可申请表', form: 'original', copies: 1, required: true, condition: null, template: 'templates/psxk.docx' },
      { name: '排水接管位置图', form: 'copy', copies: 1, required: true, condition: null, template: null },
    ],
    steps: [
      { name: '受理', working_days: 1, counts: true },
      { name: '现场核查', working_days: 2, counts: true },
      { name: '专家评审', working_days: 5, counts: false },
      { name: '决定', working_days: 2, counts: true },
    ],
    legal_limit_wd: 20,
    committed_limit_wd: 5,
    fees: [],
    place: '通化市政务服务中心二楼 C 区 3 号窗口',
    hours: '周一至周五 8:30-12:00，13:00-17:00（法定节假日除外）',
    visits: 1,
    online: true,
    phones: { consult: '0435-3200101', complaint: '0435-12345' },
    faq: [{ q: '需要缴费吗？', a: '不收费。' }],
    life_events: ['business', 'construction'],
    validity_months: 60,
    ...overrides,
  };
}

test('the public service guide: published items by name, department, life event and level', async () => {
  const pub = new Client(srv.base);
  let r = await pub.get('/api/v1/services?limit=100');
  assert.equal(r.status, 200, r.text);
  const all = r.json.items;
  assert.ok(all.length >= 30, `the demo city ships >= 30 published items, got ${all.length}`);
  assert.ok(all.every((i) => i.status === 'published'));
  assert.ok(!all.some((i) => i.name === '企业年度检验'), 'abolished items are not offered');
  assert.ok(!all.some((i) => i.name.includes('新生儿出生')), 'drafts are not public');
  assert.ok(all.every((i) => i.committed_limit_wd <= i.legal_limit_wd));

  r = await pub.get('/api/v1/services?q=' + encodeURIComponent('食品经营'));
  assert.ok(r.json.items.some((i) => i.code === FOOD));
  assert.ok(r.json.items.every((i) => i.name.includes('食品') || i.code.includes('食品')));
  r = await pub.get('/api/v1/services?life_event=marriage');
  assert.deepEqual(r.json.items.map((i) => i.name).sort(), ['内地居民离婚登记', '内地居民结婚登记']);
  r = await pub.get('/api/v1/services?level=county&limit=100');
  assert.ok(r.json.items.length >= 6);
  assert.ok(r.json.items.every((i) => i.level === 'county'));
  r = await pub.get('/api/v1/services?org=tonghua.scjg&limit=100');
  assert.ok(r.json.items.length >= 4);
  assert.ok(r.json.items.every((i) => i.org_name === '市场监督管理局'));
  // Paging by code.
  const p1 = await pub.get('/api/v1/services?limit=5');
  const p2 = await pub.get('/api/v1/services?limit=5&cursor=' + encodeURIComponent(p1.json.next_cursor));
  assert.equal(p2.json.items.length, 5);
  assert.ok(p2.json.items[0].code > p1.json.items[4].code);
  // Bad filters are named; drafts are for editors only.
  r = await pub.get('/api/v1/services?life_event=party');
  assert.equal(r.status, 400);
  assert.match(r.json.detail, /life_event/);
  assert.equal((await pub.get('/api/v1/services?status=draft')).status, 403);

  // One item carries every element of RULES.md §2.
  r = await pub.get(`/api/v1/services/${FOOD}`);
  assert.equal(r.status, 200, r.text);
  const c = r.json.content;
  for (const k of ['legal_basis', 'conditions', 'materials', 'steps', 'legal_limit_wd', 'committed_limit_wd',
    'fees', 'place', 'hours', 'visits', 'phones', 'faq', 'level', 'handling_kind']) {
    assert.ok(k in c, k);
  }
  assert.ok(c.materials.length >= 2);
  const subs = (await pub.get('/api/v1/services?q=' + encodeURIComponent('食品经营许可'))).json.items
    .filter((i) => i.main_code === FOOD);
  assert.ok(subs.length >= 3, 'change, renew and cancel are sub-items of the licence');
  assert.equal((await pub.get('/api/v1/services/000000000000-000000000000-000000000000000000-01')).status, 404);
});

test('the guide searches in memory: every term, paging, and another server\'s changes within seconds', async () => {
  const pub = new Client(srv.base);
  const all = [];
  let cursor = '';
  for (let i = 0; i < 20; i += 1) {
    const r = await pub.get('/api/v1/services?limit=7' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    all.push(...r.json.items);
    cursor = r.json.next_cursor;
    if (!cursor) break;
  }
  const whole = (await pub.get('/api/v1/services?limit=100')).json.items;
  assert.deepEqual(all.map((i) => i.code), whole.map((i) => i.code), 'pages of 7 add up to the whole list');
  // Two terms: both must occur; a character no item has gives nothing.
  let r = await pub.get('/api/v1/services?q=' + encodeURIComponent('食品 延续'));
  assert.ok(r.json.items.length >= 1);
  assert.ok(r.json.items.every((i) => i.name.includes('食品') && i.name.includes('延续')), JSON.stringify(r.json.items.map((i) => i.name)));
  r = await pub.get('/api/v1/services?q=' + encodeURIComponent('龘'));
  assert.deepEqual(r.json.items, []);
  r = await pub.get('/api/v1/services?q=' + encodeURIComponent('离婚') + '&life_event=marriage&level=county');
  assert.ok(r.json.items.every((i) => i.level === 'county'));
  assert.equal((await pub.get('/api/v1/services?org=nowhere')).status, 400);
  // Another server abolishes an item straight in the database: the guide follows.
  const [divorce] = whole.filter((i) => i.name === '内地居民离婚登记');
  assert.ok(divorce);
  const listed = async () => (await pub.get('/api/v1/services?life_event=marriage')).json.items.some((i) => i.code === divorce.code);
  assert.ok(await listed());
  srv.sql(`UPDATE service_items SET status = 'abolished', updated_at = updated_at + 1 WHERE code = '${divorce.code}'`);
  const until = Date.now() + 5000;
  while (await listed() && Date.now() < until) await new Promise((res) => setTimeout(res, 100));
  assert.equal(await listed(), false, 'gone from the guide');
  srv.sql(`UPDATE service_items SET status = 'published', updated_at = updated_at + 1 WHERE code = '${divorce.code}'`);
  while (!(await listed()) && Date.now() < until + 5000) await new Promise((res) => setTimeout(res, 100));
  assert.equal(await listed(), true, 'back in the guide');
});

test('bad items are refused naming the element, and nothing is stored', async () => {
  const bad = async (doc, element) => {
    const r = await u.approver1.post('/api/v1/services', doc);
    assert.equal(r.status, 400, r.text);
    assert.match(r.json.detail, new RegExp(element.replace(/[[\]]/g, '\\$&')));
  };
  await bad(item({ committed_limit_wd: 25 }), 'committed_limit_wd');
  await bad(item({ fees: [{ name: '工本费', amount_yuan: 10, basis: '' }] }), 'fees[0].basis');
  await bad(item({ code: '12345' }), 'code');
  await bad(item({ colour: 'red' }), 'colour');
  await bad(item({ org: 'nowhere' }), 'org');
  await bad(item({ materials: [{ name: 'x', form: 'fax', copies: 1, required: true, condition: null, template: null }] }),
    'materials[0].form');
  await bad(item({ steps: [{ name: '审查', working_days: 9, counts: true }] }), 'steps');
  const r = await u.approver1.get('/api/v1/services?status=draft&q=' + encodeURIComponent('排水管网许可'));
  assert.equal(r.json.items.length, 0);
});

test('draft → published → changed (the public keeps the published version) → abolished', async () => {
  const pub = new Client(srv.base);
  // A department head registers items of its own bureau only.
  let r = await u.zjhead1.post('/api/v1/services', item({ org: 'tonghua.scjg' }));
  assert.equal(r.status, 403, r.text);
  assert.equal((await u.zjhandler1.post('/api/v1/services', item())).status, 403);
  r = await u.zjhead1.post('/api/v1/services', item());
  assert.equal(r.status, 201, r.text);
  const code = r.json.code;
  assert.equal(r.json.status, 'draft');
  assert.equal(r.json.version, 1);
  assert.equal((await pub.get(`/api/v1/services/${code}`)).status, 404, 'a draft is not public');
  assert.equal((await u.zjhead1.post('/api/v1/services', item())).status, 409, 'codes are unique');

  // Publishing needs the approval office.
  r = await u.zjhead1.post(`/api/v1/services/${code}/publish`, { version: 1 });
  assert.equal(r.status, 403);
  r = await u.approver1.post(`/api/v1/services/${code}/publish`, { version: 1 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'published');
  assert.equal(r.json.published_version, 1);
  assert.equal((await u.approver1.post(`/api/v1/services/${code}/publish`, { version: 1 })).status, 409);
  r = await pub.get(`/api/v1/services/${code}`);
  assert.equal(r.json.content.committed_limit_wd, 5);

  // A change is version 2; the public sees version 1 until it is published.
  r = await u.zjhead1.put(`/api/v1/services/${code}`, {
    version: 1,
    content: item({ committed_limit_wd: 3, steps: [{ name: '受理', working_days: 1, counts: true }, { name: '决定', working_days: 2, counts: true }] }),
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 2);
  assert.equal(r.json.content.committed_limit_wd, 3);
  r = await u.zjhead1.put(`/api/v1/services/${code}`, { version: 1, content: item() });
  assert.equal(r.status, 409, 'a stale version changes nothing');
  r = await u.zjhead1.put(`/api/v1/services/${code}`, { content: item() });
  assert.equal(r.status, 428);
  r = await pub.get(`/api/v1/services/${code}`);
  assert.equal(r.json.content_version, 1);
  assert.equal(r.json.content.committed_limit_wd, 5);
  assert.equal((await pub.get(`/api/v1/services/${code}?version=2`)).status, 404);
  r = await u.approver1.post(`/api/v1/services/${code}/publish`, { version: 2 });
  assert.equal(r.status, 200, r.text);
  r = await pub.get(`/api/v1/services/${code}`);
  assert.equal(r.json.content_version, 2);
  assert.equal(r.json.committed_limit_wd, 3);
  r = await pub.get(`/api/v1/services/${code}?version=1`);
  assert.equal(r.json.content.committed_limit_wd, 5, 'earlier versions stay readable');

  // Abolished: gone from the guide, no more changes.
  r = await u.approver1.post(`/api/v1/services/${code}/abolish`, { version: 2 });
  assert.equal(r.status, 400, 'a reason is required');
  r = await u.approver1.post(`/api/v1/services/${code}/abolish`, { version: 2, reason: '国务院决定取消该事项' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'abolished');
  r = await pub.get('/api/v1/services?q=' + encodeURIComponent('排水管网许可'));
  assert.ok(!r.json.items.some((i) => i.code === code));
  r = await pub.get('/api/v1/services?status=abolished&limit=100');
  assert.ok(r.json.items.some((i) => i.code === code));
  r = await u.zjhead1.put(`/api/v1/services/${code}`, { version: 2, content: item() });
  assert.equal(r.status, 409);

  // Every step is in the audit log.
  r = await u.auditadmin1.get('/api/v1/audit?limit=200');
  assert.equal(r.status, 200, r.text);
  const actions = r.json.items.filter((e) => e.object_id === code).map((e) => e.action);
  for (const a of ['catalogue.item_create', 'catalogue.item_publish', 'catalogue.item_change', 'catalogue.item_abolish']) {
    assert.ok(actions.includes(a), a);
  }
});
