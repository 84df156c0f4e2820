// The access matrix (issue 8), generated from the OpenAPI document: every operation × every demo
// role (one signed-in client per demo account) plus anonymous. The expected answer comes from the
// operation's `x-huiyin-access` and from each account's own permission list (GET /api/v1/auth/me,
// i.e. the server's table in src/core/access.cc):
//   public      → never 401/403
//   auth        → anonymous 401; signed in never 401
//   permission  → anonymous 401; without the permission 403; with it neither 401 nor 403
// Requests are harmless: `{}` bodies and path parameters that name nothing ("0"). No answer may be
// a 5xx. Then scope: a unit sees its own cases/users (200) and not another unit's (404, not 403).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Client } from './lib/client.mjs';
import { DEMO_PASSWORD, startServer } from './lib/server.mjs';

const ACCOUNTS = ['agent1', 'dispatcher1', 'zjhandler1', 'zjhead1', 'cghandler1', 'cghead1',
  'supervisor1', 'leader1', 'clerk1', 'approver1', 'sysadmin1', 'secadmin1', 'auditadmin1', 'citizen1',
  'enterprise1'];

// Operations whose expected answer does not hold today: `METHOD path` → reason (test.todo).
const KNOWN = {};

const srv = await startServer();
after(async () => { await srv?.stop(); });

const clients = {};
const perms = {};
for (const u of ACCOUNTS) {
  const c = new Client(srv.base);
  const r = await c.login(u, DEMO_PASSWORD);
  if (r.status !== 200) throw new Error(`${u} cannot sign in: ${r.text}`);
  const me = await c.get('/api/v1/auth/me');
  if (me.status !== 200) throw new Error(`${u} /auth/me: ${me.text}`);
  clients[u] = c;
  perms[u] = new Set(me.json.permissions);
}
const doc = (await new Client(srv.base).get('/api/v1/openapi.json')).json;
const ops = [];
for (const [path, methods] of Object.entries(doc.paths)) {
  for (const [method, op] of Object.entries(methods)) ops.push({ path, method: method.toUpperCase(), op });
}

let requests = 0;
let keyCounter = 0;
const fill = (path) => path.replace(/\{[^}]+\}/g, '0').replace(/\*[A-Za-z_]+/g, '0');

async function call(who, method, path) {
  let c;
  if (who === null) c = new Client(srv.base);
  else if (method === 'POST' && path === '/api/v1/auth/logout') {
    // Logging out would end the shared session: use a session of its own.
    c = new Client(srv.base);
    const r = await c.login(who, DEMO_PASSWORD);
    assert.equal(r.status, 200, r.text);
  } else c = clients[who];
  requests++;
  const headers = { 'idempotency-key': `matrix-${process.pid}-${++keyCounter}` };
  return c.request(method, path, method === 'GET' ? { headers } : { body: {}, headers });
}

describe('access matrix from the OpenAPI document', () => {
  test('the document lists operations, each with its access', () => {
    assert.ok(ops.length >= 40, `${ops.length} operations`);
    const missing = ops.filter(({ op }) => !op['x-huiyin-access']).map(({ method, path }) => `${method} ${path}`);
    assert.deepEqual(missing, [], 'operations without x-huiyin-access');
  });

  for (const { path, method, op } of ops) {
    const name = `${method} ${path}`;
    const access = op['x-huiyin-access'];
    const run = async () => {
      assert.ok(access, `${name} declares x-huiyin-access`);
      const url = fill(path);
      const problems = [];
      const anon = await call(null, method, url);
      if (anon.status >= 500) problems.push(`anonymous: ${anon.status} ${anon.text.slice(0, 200)}`);
      if (access === 'public') {
        if ([401, 403].includes(anon.status)) problems.push(`anonymous: ${anon.status} on a public operation`);
      } else if (anon.status !== 401) problems.push(`anonymous: ${anon.status}, expected 401`);
      for (const who of ACCOUNTS) {
        const r = await call(who, method, url);
        const tag = `${who}: ${r.status} ${r.json?.code ?? ''}`;
        if (r.status >= 500) problems.push(`${tag} (server error) ${r.text.slice(0, 200)}`);
        if (access === 'public') {
          if ([401, 403].includes(r.status)) problems.push(`${tag} on a public operation`);
        } else if (access === 'auth') {
          if (r.status === 401) problems.push(`${tag} though signed in`);
        } else if (perms[who].has(access)) {
          if ([401, 403].includes(r.status)) problems.push(`${tag} though granted ${access}`);
        } else if (r.status !== 403) problems.push(`${tag}, expected 403 without ${access}`);
      }
      assert.deepEqual(problems, [], `${name} (${access})`);
    };
    if (KNOWN[name]) test.todo(`${name} [${access}] — known: ${KNOWN[name]}`, run);
    else test(`${name} [${access}]`, run);
  }

  test('matrix size', () => {
    console.log(`access matrix: ${ops.length} operations × ${ACCOUNTS.length + 1} principals ` +
      `(${ACCOUNTS.length} demo accounts covering 12 roles, plus anonymous) = ${requests} requests`);
    assert.ok(requests >= ops.length * (ACCOUNTS.length + 1));
  });
});

describe('scope: another unit\'s data answers 404, its own 200', () => {
  let orgs;
  const orgId = (n) => orgs.find((o) => o.name === n).id;

  async function caseFor(unit) {
    const r = await clients.agent1.post('/api/v1/cases', {
      type: 'complaint', channel: 'phone', title: `范围测试 ${unit}`, content: '井盖缺失，存在安全隐患',
      region_code: '220502', requester: { name: '赵六', phone: '13900003333' },
    }, { headers: { 'idempotency-key': `matrix-scope-${process.pid}-${++keyCounter}` } });
    assert.equal(r.status, 201, r.text);
    const c = r.json.case;
    const d = await clients.dispatcher1.post(`/api/v1/cases/${c.number}/transitions/dispatch`,
      { version: c.version, lead_org_id: orgId(unit) });
    assert.equal(d.status, 200, d.text);
    return c.number;
  }

  test('GET /api/v1/cases/{number}: 城市管理局 handler sees its own case, not 住房和城乡建设局\'s', async () => {
    orgs = (await clients.agent1.get('/api/v1/orgs')).json.items;
    const zj = await caseFor('住房和城乡建设局');
    const cg = await caseFor('城市管理局');
    let r = await clients.cghandler1.get(`/api/v1/cases/${zj}`);
    assert.equal(r.status, 404, r.text);
    assert.equal(r.json.code, 'not_found');
    assert.equal((await clients.cghandler1.get(`/api/v1/cases/${cg}`)).status, 200);
    // And the other way round.
    assert.equal((await clients.zjhandler1.get(`/api/v1/cases/${cg}`)).status, 404);
    assert.equal((await clients.zjhandler1.get(`/api/v1/cases/${zj}`)).status, 200);
    // Transitions on a case out of scope are 404 too.
    r = await clients.cghandler1.post(`/api/v1/cases/${zj}/transitions/sign_for`, { version: 1 });
    assert.equal(r.status, 404, r.text);
  });

  test('every case-scoped operation in the document: another unit gets 404, the case\'s unit does not', async () => {
    orgs = orgs ?? (await clients.agent1.get('/api/v1/orgs')).json.items;
    const zj = await caseFor('住房和城乡建设局');
    const caseOps = ops.filter((o) => o.path.startsWith('/api/v1/cases/{number}'));
    assert.ok(caseOps.length >= 5, caseOps.map((o) => o.path).join(', '));
    const pdf = Buffer.from('%PDF-1.7\n% scope test\n');
    for (const { path, method } of caseOps) {
      let target = path.replace('{number}', zj);
      const upload = method === 'POST' && path.endsWith('/attachments');
      if (path.endsWith('/transitions/{name}')) target = target.replace('{name}', 'sign_for');
      target = fill(target);
      if (upload) target += '?name=scope.pdf';
      const send = (who) => clients[who].request(method, target,
        upload ? { raw: pdf } : method === 'GET' ? {} : { body: { version: 2 } });
      const out = await send('cghandler1');
      requests++;
      assert.equal(out.status, 404, `${method} ${path} out of scope: ${out.text}`);
      const own = await send('zjhandler1');
      requests++;
      // A sub-resource filled with 0 (an attachment id) may not exist: the case itself was found.
      if (!/\{id\}$/.test(path)) assert.notEqual(own.status, 404, `${method} ${path} in scope: ${own.text}`);
    }
  });

  test('GET /api/v1/users/{id}: 城市管理局 (dept head; handlers lack system:user:list) sees its own users only', async () => {
    const list = await clients.sysadmin1.get('/api/v1/users?org_id=1&limit=200');
    assert.equal(list.status, 200, list.text);
    const id = (u) => list.json.items.find((x) => x.username === u).id;
    let r = await clients.cghead1.get(`/api/v1/users/${id('zjhandler1')}`);
    assert.equal(r.status, 404, r.text);
    assert.equal(r.json.code, 'not_found');
    r = await clients.cghead1.get(`/api/v1/users/${id('cghandler1')}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.username, 'cghandler1');
    // A handler has no system:user:list at all: 403 for any user.
    assert.equal((await clients.cghandler1.get(`/api/v1/users/${id('cghandler1')}`)).status, 403);
  });
});
