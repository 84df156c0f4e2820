// Foundation API behaviour against the real binary (issue 2): sign-in and lockout, CSRF, scope,
// masking, problem+json errors, limits, audit chain tampering, graceful SIGTERM.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Client } from './lib/client.mjs';
import { DEMO_PASSWORD, startServer } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const client = () => new Client(srv.base);

// Sends raw bytes on a new connection and returns what the server answers (bounded wait).
function rawExchange(port, bytes) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let got = '';
    const timer = setTimeout(() => { sock.destroy(); resolve(got); }, 5000);
    sock.on('connect', () => sock.write(bytes));
    sock.on('data', (d) => {
      got += d;
      if (/\r\n\r\n[\s\S]*\}\s*$/.test(got)) { clearTimeout(timer); sock.destroy(); resolve(got); }
    });
    sock.on('error', (e) => { clearTimeout(timer); got ? resolve(got) : reject(e); });
    sock.on('close', () => { clearTimeout(timer); resolve(got); });
  });
}

function sql(statement) {
  // Runs SQL directly on the test database, bypassing Huiyin (to tamper with rows).
  if (srv.db.startsWith('sqlite:')) {
    const r = spawnSync('sqlite3', [srv.db.slice(7), statement], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  }
  const [url, opts] = srv.db.split('?options=');
  const schema = decodeURIComponent(opts).replace('-csearch_path=', '');
  const r = spawnSync('psql', [url, '-qAt', '-c', `SET search_path=${schema}; ${statement}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

describe('health and errors', () => {
  test('healthz, readyz and metrics answer', async () => {
    const c = client();
    assert.equal((await c.get('/healthz')).status, 200);
    assert.equal((await c.get('/readyz')).status, 200);
    const m = await c.get('/metrics');
    assert.equal(m.status, 200);
    assert.match(m.text, /huiyin_http_requests_total|http_requests_total/);
    assert.match(m.text, /huiyin_db_pool_size/);
  });

  test('every response carries a request id and security headers', async () => {
    const r = await client().get('/healthz', { headers: { 'x-request-id': 'test-123' } });
    assert.equal(r.headers.get('x-request-id'), 'test-123');
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  });

  test('unknown route is a 404 problem', async () => {
    const r = await client().get('/api/v1/no-such-thing');
    assert.equal(r.status, 404);
    assert.match(r.headers.get('content-type'), /application\/problem\+json/);
    assert.equal(r.json.code, 'not_found');
    assert.equal(r.json.status, 404);
  });

  test('wrong method is a 405 with Allow', async () => {
    const r = await client().request('PUT', '/api/v1/auth/login', { body: {} });
    assert.equal(r.status, 405);
    assert.match(r.headers.get('allow'), /POST/);
    assert.equal(r.json.code, 'method_not_allowed');
  });

  test('malformed JSON is a 400 naming what is wrong', async () => {
    const r = await client().request('POST', '/api/v1/auth/login', {
      raw: '{"username": "agent1", "password": ', headers: { 'content-type': 'application/json' },
    });
    assert.equal(r.status, 400);
    assert.equal(r.json.code, 'malformed_body');
    assert.ok(r.json.detail.length > 10);
  });

  test('a field of the wrong type is a 400 naming the field', async () => {
    const r = await client().post('/api/v1/auth/login', { username: 'agent1', password: 12345 });
    assert.equal(r.status, 400);
    assert.equal(r.json.code, 'invalid_argument');
    assert.equal(r.json.errors[0].field, 'password');
  });

  test('an oversize body is a 413 problem, answered before the body is read', async () => {
    const head = 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${2 * 1024 * 1024}\r\n\r\n`;
    const text = await rawExchange(srv.port, head);
    assert.match(text, /^HTTP\/1\.1 413 /);
    assert.match(text, /payload_too_large/);
  });
});

describe('sign-in, sessions and CSRF', () => {
  test('a demo account signs in and sees its permissions', async () => {
    const c = client();
    const r = await c.login('agent1', DEMO_PASSWORD);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.csrf_token);
    const setCookie = r.headers.get('set-cookie');
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    const me = await c.get('/api/v1/auth/me');
    assert.equal(me.status, 200);
    assert.equal(me.json.username, 'agent1');
    assert.ok(me.json.permissions.includes('hotline:case:intake'));
  });

  test('unknown user and wrong password give the same answer', async () => {
    const a = await client().login('agent1', 'wrong-password-1A!');
    const b = await client().login('nobody-at-all', 'wrong-password-1A!');
    assert.equal(a.status, 401);
    assert.equal(b.status, 401);
    assert.equal(a.json.code, 'bad_credentials');
    assert.equal(b.json.code, 'bad_credentials');
    assert.equal(a.json.detail, b.json.detail);
  });

  test('five failed sign-ins lock the account for 15 minutes, even for the right password', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await client().login('cghandler1', 'not-the-password-' + i);
      assert.ok([401, 423].includes(r.status));
    }
    const r = await client().login('cghandler1', DEMO_PASSWORD);
    assert.equal(r.status, 423, r.text);
    assert.equal(r.json.code, 'account_locked');
    // The security administrator unlocks it.
    const admin = client();
    assert.equal((await admin.login('secadmin1', DEMO_PASSWORD)).status, 200);
    const u = await admin.post('/api/v1/users/cghandler1/unlock', {});
    assert.equal(u.status, 204, u.text);
    assert.equal((await client().login('cghandler1', DEMO_PASSWORD)).status, 200);
  });

  test('a state-changing request without the CSRF token is refused', async () => {
    const c = client();
    await c.login('secadmin1', DEMO_PASSWORD);
    const r = await c.post('/api/v1/users/agent1/unlock', {}, { headers: { 'x-csrf-token': 'forged' } });
    assert.equal(r.status, 403);
    assert.equal(r.json.code, 'csrf_failed');
  });

  test('without a session protected routes answer 401', async () => {
    const r = await client().get('/api/v1/auth/me');
    assert.equal(r.status, 401);
    assert.equal(r.json.code, 'unauthenticated');
  });

  test('logout ends the session', async () => {
    const c = client();
    await c.login('agent1', DEMO_PASSWORD);
    const cookie = [...c.cookies][0];
    assert.equal((await c.post('/api/v1/auth/logout', {})).status, 204);
    const stale = new Client(srv.base);
    stale.cookies.set(cookie[0], cookie[1]);
    const r = await stale.get('/api/v1/auth/me');
    assert.equal(r.status, 401);
  });
});

describe('access control and personal data', () => {
  test('the system admin cannot read the audit log; the audit admin can', async () => {
    const sys = client();
    await sys.login('sysadmin1', DEMO_PASSWORD);
    assert.equal((await sys.get('/api/v1/audit')).status, 403);
    const aud = client();
    await aud.login('auditadmin1', DEMO_PASSWORD);
    const r = await aud.get('/api/v1/audit?action=auth.');
    assert.equal(r.status, 200);
    assert.ok(r.json.items.some((e) => e.action === 'auth.login'));
    assert.ok(r.json.items.some((e) => e.action === 'auth.login_failed'));
  });

  test('a department head cannot see a user of another department (404, not 403)', async () => {
    const sys = client();
    await sys.login('sysadmin1', DEMO_PASSWORD);
    const users = await sys.get('/api/v1/users?org_id=1');
    assert.equal(users.status, 200, users.text);
    const other = users.json.items.find((u) => u.username === 'cghandler1');
    assert.ok(other, 'cghandler1 is listed for the system admin');
    const head = client();
    await head.login('zjhead1', DEMO_PASSWORD);
    const r = await head.get(`/api/v1/users/${other.id}`);
    assert.equal(r.status, 404);
    assert.equal(r.json.code, 'not_found');
    const own = users.json.items.find((u) => u.username === 'zjhandler1');
    assert.equal((await head.get(`/api/v1/users/${own.id}`)).status, 200);
  });

  test('phone numbers are masked unless the role needs them', async () => {
    const sys = client();
    await sys.login('sysadmin1', DEMO_PASSWORD);
    const list = await sys.get('/api/v1/users?org_id=1');
    const withPhone = list.json.items.find((u) => u.phone);
    assert.ok(withPhone, 'some demo user has a phone');
    assert.match(withPhone.phone, /^\d{3}\*{4}\d{4}$/);
    assert.equal(withPhone.pii_visible, false);
    const sec = client();
    await sec.login('secadmin1', DEMO_PASSWORD);
    const clear = await sec.get(`/api/v1/users/${withPhone.id}`);
    assert.equal(clear.status, 200);
    assert.match(clear.json.phone, /^1\d{10}$/);
    // Stored encrypted: the clear number is not in the database.
    const raw = sql(`SELECT phone_enc FROM users WHERE id = ${withPhone.id}`);
    assert.ok(raw.length > 20);
    assert.ok(!raw.includes(clear.json.phone));
  });
});

describe('audit trail', () => {
  test('audit verify passes, then names the row altered directly in the database', async () => {
    let r = srv.cli(['audit', 'verify']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /intact/);
    const seq = sql("SELECT min(seq) FROM audit_log WHERE action = 'auth.login'");
    sql(`UPDATE audit_log SET actor_name = 'mallory' WHERE seq = ${seq}`);
    r = srv.cli(['audit', 'verify']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`BROKEN at seq ${seq}\\b`));
  });
});
