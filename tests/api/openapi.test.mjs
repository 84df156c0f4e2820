// The OpenAPI document is generated from the routing table: every route is there with its
// declared access, and every non-public operation declares a permission or "auth" (issue 8's
// access matrix starts from this document).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from './lib/client.mjs';
import { startServer } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer({ demo: false }); });
after(async () => { await srv?.stop(); });

test('the OpenAPI 3.1 document lists every operation with its access', async () => {
  const r = await new Client(srv.base).get('/api/v1/openapi.json');
  assert.equal(r.status, 200);
  const doc = r.json;
  assert.equal(doc.openapi, '3.1.0');
  const ops = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) ops.push({ path, method, op });
  }
  assert.ok(ops.length >= 40, `${ops.length} operations`);
  for (const { path, method, op } of ops) {
    const access = op['x-huiyin-access'];
    assert.ok(access, `${method} ${path} declares its access`);
    assert.ok(access === 'public' || access === 'auth' || /^[a-z0-9_]+:[a-z0-9_]+:[a-z0-9_]+$/.test(access),
      `${method} ${path}: '${access}' is public, auth or a module:entity:action permission`);
    if (method !== 'get' && access === 'public') {
      // Public writes are few and deliberate: sign-in, sign-up, filing a case, Open311, validation.
      assert.ok(/auth\/(login|signup)|\/cases$|open311|validate$/.test(path), `${method} ${path} is public`);
    }
  }
  for (const p of ['/api/v1/cases', '/api/v1/cases/{number}/transitions/{name}', '/api/v1/auth/login',
    '/api/v1/calendar/deadline', '/healthz']) {
    assert.ok(doc.paths[p], `${p} is documented`);
  }
  // Protected operations without a session are refused (a sample; the full matrix is issue 8).
  for (const { path, method, op } of ops) {
    if (op['x-huiyin-access'] === 'public' || path.includes('{')) continue;
    const res = await new Client(srv.base).request(method.toUpperCase(), path,
      method === 'get' ? {} : { body: {} });
    assert.equal(res.status, 401, `${method} ${path} without a session`);
  }
});
