// Issue 4 against the real binary: the dispatch catalogue (categories with Open311 attributes,
// dispatch rules, suggestions for the dispatcher) and the knowledge base (public Chinese search,
// scoped editing, optimistic concurrency). Self-contained: everything is created through the API
// on top of the demo city, under codes (kbtest.*) and words the demo catalogue does not use.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from './lib/client.mjs';
import { DEMO_PASSWORD, startServer } from './lib/server.mjs';

let srv;
const orgs = {};
before(async () => {
  srv = await startServer();
  const r = await new Client(srv.base).get('/api/v1/orgs');
  for (const o of r.json.items) orgs[o.code] = o.id;
});
after(async () => { await srv?.stop(); });

async function as(username) {
  const c = new Client(srv.base);
  const r = await c.login(username, DEMO_PASSWORD);
  assert.equal(r.status, 200, r.text);
  return c;
}
const anon = () => new Client(srv.base);

const heating = {
  code: 'kbtest.heating',
  name: '暖气不热(测试)',
  name_en: 'Radiators not warm (test)',
  keywords: ['暖气', '室温'],
  attributes: [
    { code: 'indoor_temperature', datatype: 'number', required: true, description: '室内温度(摄氏度)' },
    { code: 'community', datatype: 'string', required: true, description: '小区名称' },
    {
      code: 'heating_mode', datatype: 'singlevaluelist', required: true, description: '供热方式',
      values: [{ key: 'central', name: '集中供热' }, { key: 'district', name: '小区锅炉房' }],
    },
    {
      code: 'periods', datatype: 'multivaluelist', description: '时段',
      values: [{ key: 'day', name: '白天' }, { key: 'night', name: '夜间' }],
    },
  ],
};

describe('dispatch catalogue', () => {
  test('the dispatcher builds a category tree that everyone can read with its attributes', async () => {
    const d = await as('dispatcher1');
    const top = await d.post('/api/v1/categories', { code: 'kbtest', name: '测试分类' });
    assert.equal(top.status, 201, top.text);
    const child = await d.post('/api/v1/categories', heating);
    assert.equal(child.status, 201, child.text);
    assert.equal(child.json.group, '测试分类');
    assert.equal(child.json.version, 1);

    const tree = await anon().get('/api/v1/categories');
    assert.equal(tree.status, 200);
    const root = tree.json.items.find((c) => c.code === 'kbtest');
    assert.ok(root, 'the new top-level category is listed');
    assert.deepEqual(root.children.map((c) => c.code), ['kbtest.heating']);
    const attrs = root.children[0].attributes;
    assert.deepEqual(attrs.map((a) => a.code), ['indoor_temperature', 'community', 'heating_mode', 'periods']);
    assert.equal(attrs[2].datatype, 'singlevaluelist');
    assert.deepEqual(attrs[2].values.map((v) => v.key), ['central', 'district']);
    assert.equal(attrs[0].variable, true);

    const one = await anon().get('/api/v1/categories/kbtest.heating');
    assert.equal(one.status, 200);
    assert.equal(one.json.name, '暖气不热(测试)');
    assert.equal((await anon().get('/api/v1/categories/kbtest.nothing')).status, 404);
  });

  test('category edits need dispatch:rule:edit and the current version', async () => {
    const d = await as('dispatcher1');
    const handler = await as('zjhandler1');
    const denied = await handler.post('/api/v1/categories', { code: 'kbtest.x', name: 'x' });
    assert.equal(denied.status, 403);
    assert.equal((await anon().post('/api/v1/categories', { code: 'kbtest.y', name: 'y' })).status, 401);
    const dup = await d.post('/api/v1/categories', { code: 'kbtest', name: '重复' });
    assert.equal(dup.status, 409);
    assert.equal(dup.json.code, 'conflict');
    const orphan = await d.post('/api/v1/categories', { code: 'kbnone.child', name: '无父' });
    assert.equal(orphan.status, 400);
    assert.equal(orphan.json.errors[0].field, 'code');
    const badList = await d.post('/api/v1/categories', {
      code: 'kbtest.bad', name: '坏', attributes: [{ code: 'k', datatype: 'singlevaluelist', description: '无选项' }],
    });
    assert.equal(badList.status, 400);
    assert.equal(badList.json.errors[0].field, 'attributes/0/values');

    const { code, ...body } = heating;
    const noVersion = await d.put(`/api/v1/categories/${code}`, body);
    assert.equal(noVersion.status, 428);
    const v2 = await d.put(`/api/v1/categories/${code}`, { ...body, description: '供暖期室温低于18℃', version: 1 });
    assert.equal(v2.status, 200, v2.text);
    assert.equal(v2.json.version, 2);
    const stale = await d.put(`/api/v1/categories/${code}`, { ...body, version: 1 });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.code, 'version_conflict');
  });

  test('attribute values are validated with one error per attribute', async () => {
    const bad = await anon().post('/api/v1/categories/kbtest.heating/validate', {
      attributes: { indoor_temperature: '很冷', heating_mode: ['central', 'district'], colour: 'red' },
    });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.json.code, 'invalid_argument');
    const fields = bad.json.errors.map((e) => e.field).sort();
    assert.deepEqual(fields, ['attribute[colour]', 'attribute[community]', 'attribute[heating_mode]',
      'attribute[indoor_temperature]']);
    const good = await anon().post('/api/v1/categories/kbtest.heating/validate', {
      attributes: { indoor_temperature: 15.5, community: '江南小区', heating_mode: 'central', periods: ['day', 'night'] },
    });
    assert.equal(good.status, 204, good.text);
  });

  test('suggestions rank the district rule, then the parent region, then any region', async () => {
    const d = await as('dispatcher1');
    const mk = async (body) => {
      const r = await d.post('/api/v1/dispatch-rules', { category: 'kbtest.heating', ...body });
      assert.equal(r.status, 201, r.text);
      return r.json;
    };
    const district = await mk({ region_code: '220502', lead_org_id: orgs['dongchang.cgj'], priority: 10 });
    await mk({ region_code: '220500', lead_org_id: orgs['tonghua.heat'], co_org_ids: [orgs['tonghua.zjj']], priority: 20 });
    await mk({ region_code: null, lead_org_id: orgs['tonghua.cgj'] });

    const s = await d.get('/api/v1/dispatch/suggest?category=kbtest.heating&region_code=220502');
    assert.equal(s.status, 200, s.text);
    assert.deepEqual(s.json.items.map((x) => `${x.unit.code}/${x.role}/${x.match}`), [
      'dongchang.cgj/lead/region', 'tonghua.heat/lead/parent_region', 'tonghua.zjj/co/parent_region',
      'tonghua.cgj/lead/any_region']);
    assert.match(s.json.items[0].reason, /东昌区\(220502\)/);
    const other = await d.get('/api/v1/dispatch/suggest?category=kbtest.heating&region_code=220582');
    assert.equal(other.json.items[0].unit.code, 'tonghua.heat');

    const handler = await as('zjhandler1');
    assert.equal((await handler.get('/api/v1/dispatch/suggest?category=kbtest.heating')).status, 403);
    const listed = await handler.get('/api/v1/dispatch-rules?category=kbtest.heating');
    assert.equal(listed.status, 200);
    assert.equal(listed.json.items.length, 3);
    assert.equal((await d.get('/api/v1/dispatch/suggest?category=kbtest.heating&region_code=2205')).status, 400);

    const stale = await d.put(`/api/v1/dispatch-rules/${district.id}`, {
      category: 'kbtest.heating', region_code: '220502', lead_org_id: orgs['dongchang.cgj'], version: 7,
    });
    assert.equal(stale.status, 409);
    const off = await d.delete(`/api/v1/dispatch-rules/${district.id}`, { headers: { 'if-match': '"1"' } });
    assert.equal(off.status, 200, off.text);
    assert.equal(off.json.active, false);
    const after = await d.get('/api/v1/dispatch/suggest?category=kbtest.heating&region_code=220502');
    assert.equal(after.json.items[0].unit.code, 'tonghua.heat');
  });
});

describe('knowledge base', () => {
  let article;

  test('an editor drafts an article the public cannot see until it is published', async () => {
    const zj = await as('zjhandler1');
    const r = await zj.post('/api/v1/knowledge', {
      title: '麒麟小区物业费标准',
      body: '麒麟小区物业费按合同约定收取,满意率100%的物业企业可获表彰。',
      keywords: ['物业费', '麒麟'],
      category: 'kbtest.heating',
    });
    assert.equal(r.status, 201, r.text);
    article = r.json;
    assert.equal(article.status, 'draft');
    assert.equal(article.org_id, orgs['tonghua.zjj']);
    assert.equal((await anon().get(`/api/v1/knowledge/${article.id}`)).status, 404);
    assert.equal((await anon().get('/api/v1/knowledge?q=麒麟')).json.items.length, 0);
    assert.equal((await anon().get('/api/v1/knowledge?status=draft')).status, 403);
    const drafts = await zj.get('/api/v1/knowledge?status=draft');
    assert.ok(drafts.json.items.some((a) => a.id === article.id));

    const p = await zj.post(`/api/v1/knowledge/${article.id}/publish`, { version: 1 });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.json.status, 'published');
    article = p.json;
  });

  test('public search finds 1-, 2- and 3+-character terms, and wildcards are literal', async () => {
    for (const q of ['麒', '麒麟', '物业费标准', '100%', '%']) {
      const r = await anon().get('/api/v1/knowledge?q=' + encodeURIComponent(q));
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.items.map((a) => a.id), [article.id], `q=${q}`);
    }
    const none = await anon().get('/api/v1/knowledge?q=' + encodeURIComponent('麒麟 养老金'));
    assert.equal(none.json.items.length, 0);
    const byCategory = await anon().get('/api/v1/knowledge?category=kbtest');
    assert.deepEqual(byCategory.json.items.map((a) => a.id), [article.id]);
    const full = await anon().get(`/api/v1/knowledge/${article.id}`);
    assert.equal(full.status, 200);
    assert.match(full.json.body, /合同约定/);
    assert.equal((await anon().get('/api/v1/knowledge?limit=0')).status, 400);
  });

  test("a handler of 城市管理局 cannot edit 住建局's article (404)", async () => {
    const cg = await as('cghandler1');
    const body = { title: '改写', body: '改写', version: article.version };
    const put = await cg.put(`/api/v1/knowledge/${article.id}`, body);
    assert.equal(put.status, 404, put.text);
    assert.equal(put.json.code, 'not_found');
    assert.equal((await cg.post(`/api/v1/knowledge/${article.id}/archive`, {})).status, 404);
    const foreign = await cg.post('/api/v1/knowledge', { title: '越权', body: '越权', org_id: orgs['tonghua.zjj'] });
    assert.equal(foreign.status, 403);
    const citizen = await as('citizen1');
    assert.equal((await citizen.post('/api/v1/knowledge', { title: 'x', body: 'x' })).status, 403);
  });

  test('a stale version is a 409 version_conflict; If-Match carries the version too', async () => {
    const zj = await as('zjhandler1');
    const base = { title: '麒麟小区物业费标准', body: '按物业服务合同约定收取。', keywords: ['物业费'] };
    assert.equal((await zj.put(`/api/v1/knowledge/${article.id}`, base)).status, 428);
    const ok = await zj.put(`/api/v1/knowledge/${article.id}`, base, { headers: { 'if-match': `"${article.version}"` } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.version, article.version + 1);
    assert.equal(ok.headers.get('etag'), `"${article.version + 1}"`);
    const stale = await zj.put(`/api/v1/knowledge/${article.id}`, { ...base, version: article.version });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.code, 'version_conflict');
    // The index followed the edit: the old wording is gone.
    const old = await anon().get('/api/v1/knowledge?q=' + encodeURIComponent('100%'));
    assert.equal(old.json.items.length, 0);
    const archived = await zj.post(`/api/v1/knowledge/${article.id}/archive`, { version: ok.json.version });
    assert.equal(archived.status, 200, archived.text);
    assert.equal((await anon().get(`/api/v1/knowledge/${article.id}`)).status, 404);
  });

  test('every change is in the audit log', async () => {
    const aud = await as('auditadmin1');
    const kb = await aud.get('/api/v1/audit?action=kb.');
    assert.equal(kb.status, 200, kb.text);
    const actions = new Set(kb.json.items.map((e) => e.action));
    for (const a of ['kb.article_create', 'kb.article_publish', 'kb.article_update', 'kb.article_archive']) {
      assert.ok(actions.has(a), a);
    }
    const rules = await aud.get('/api/v1/audit?action=dispatch.');
    assert.ok(rules.json.items.some((e) => e.action === 'dispatch.rule_deactivate'));
    const cats = await aud.get('/api/v1/audit?action=catalogue.');
    assert.ok(cats.json.items.some((e) => e.action === 'catalogue.category_update'));
  });
});
