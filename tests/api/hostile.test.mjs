// Hostile input (issue 8): each attack is refused cleanly and the server keeps serving everybody
// else (GET /healthz is checked after each case). Slowloris, idle-connection floods, oversized
// headers and bodies, malformed UTF-8, injection strings, path traversal, login brute force,
// CSRF, security headers, cookie flags and session fixation. Every wait is bounded.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from './lib/client.mjs';
import { DEMO_PASSWORD, startServer } from './lib/server.mjs';

let srv;
let webRoot;
before(async () => {
  // The web root is a directory of our own, so static responses are deterministic.
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  webRoot = mkdtempSync(join(tmpdir(), 'huiyin-web-'));
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>回音</title><div id="app"></div>');
  writeFileSync(join(webRoot, 'assets', 'app.js'), 'console.log("huiyin");');
  // The per-address sign-in limit is tested on a server of its own (below).
  srv = await startServer({ settings: { 'server.read_timeout_ms': 1000, 'web.root': webRoot,
    'security.address_failures': 1000 } });
});
after(async () => {
  await srv?.stop();
  if (webRoot) (await import('node:fs')).rmSync(webRoot, { recursive: true, force: true });
});

const client = () => new Client(srv.base);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function healthy(base = srv.base) {
  const r = await fetch(base + '/healthz', { signal: AbortSignal.timeout(5000) });
  assert.equal(r.status, 200, 'the server still answers /healthz');
  await r.text();
}

// Sends raw bytes on a new connection; resolves with what came back once the server closes the
// connection or a full response arrived, or after `ms` (bounded).
function rawExchange(port, bytes, ms = 5000) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let got = Buffer.alloc(0);
    let done = false;
    const finish = () => { if (!done) { done = true; clearTimeout(timer); sock.destroy(); resolve(got.toString('latin1')); } };
    const timer = setTimeout(finish, ms);
    sock.on('connect', () => sock.write(bytes));
    sock.on('data', (d) => {
      got = Buffer.concat([got, d]);
      const s = got.toString('latin1');
      const i = s.indexOf('\r\n\r\n');
      if (i >= 0) {
        const m = /content-length:\s*(\d+)/i.exec(s.slice(0, i));
        if (m && got.length >= i + 4 + Number(m[1])) finish();
      }
    });
    sock.on('error', finish);
    sock.on('close', finish);
  });
}

const statusOf = (text) => Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);

describe('connections', () => {
  test('slowloris: headers one byte every 200 ms are cut off by the read timeout; others are served', { timeout: 30000 }, async () => {
    const request = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ' + 'a'.repeat(40) + '\r\n\r\n';
    const sock = net.connect(srv.port, '127.0.0.1');
    let closedAt = null;
    let received = '';
    sock.on('data', (d) => { received += d; });
    sock.on('close', () => { closedAt = Date.now(); });
    sock.on('error', () => { /* reset by the server */ });
    await new Promise((r, j) => { sock.once('connect', r); sock.once('error', j); });
    const started = Date.now();
    let sent = 0;
    let servedMeanwhile = false;
    // At most the whole request (~70 bytes, ~14 s); the server must close long before.
    while (closedAt === null && sent < request.length && Date.now() - started < 15000) {
      if (!sock.destroyed) sock.write(request[sent++]);
      if (sent === 3) {
        // Another client is served while the slow one dribbles.
        const r = await fetch(srv.base + '/api/v1/workflows', { signal: AbortSignal.timeout(5000) });
        servedMeanwhile = r.status === 200;
        await r.text();
      }
      await sleep(200);
    }
    sock.destroy();
    assert.ok(servedMeanwhile, 'another client was served during the slow request');
    assert.ok(closedAt !== null, `the server closed the slow connection (sent ${sent}/${request.length} bytes)`);
    assert.ok(sent < request.length, 'closed before the headers were complete');
    const lasted = closedAt - started;
    assert.ok(lasted >= 800 && lasted < 6000, `closed after ${lasted} ms (read timeout 1000 ms)`);
    assert.ok(!/^HTTP\/1\.1 200/.test(received), 'the slow request was not served');
    await healthy();
  });

  // 10,000 by default (HUIYIN_IDLE_CONNECTIONS): both processes need that many descriptors
  // (scripts/test.sh raises the soft limit to the hard one).
  const IDLE = Number(process.env.HUIYIN_IDLE_CONNECTIONS || 10000);
  test(`${IDLE} idle connections held open: /healthz still answers`, { timeout: 120000 }, async () => {
    // Its own server, with a read timeout long enough that the idle sockets stay open for the
    // whole check even on a slow machine.
    const idle = await startServer({ demo: false, settings: { 'server.read_timeout_ms': 60000 } });
    const socks = [];
    try {
      // In batches, so the listen backlog is never the limit being tested.
      for (let i = 0; i < IDLE; i += 1000) {
        const batch = [];
        for (let j = i; j < Math.min(IDLE, i + 1000); j++) {
          const s = net.connect(idle.port, '127.0.0.1');
          s.on('error', () => {});
          socks.push(s);
          batch.push(s);
        }
        await Promise.all(batch.map((s) => new Promise((r) => {
          if (s.readyState === 'open') r();
          s.once('connect', r);
          s.once('error', r);
          setTimeout(r, 10000);
        })));
      }
      const open = socks.filter((s) => s.readyState === 'open').length;
      assert.equal(open, IDLE, `${open} of ${IDLE} idle connections open`);
      const t0 = Date.now();
      for (let i = 0; i < 5; i++) await healthy(idle.base);
      const took = Date.now() - t0;
      assert.ok(took < 10000, `5 health checks took ${took} ms with ${IDLE} idle connections`);
      // Still open (the server did not shed them) and a real request on one of them is served.
      assert.equal(socks.filter((s) => s.readyState === 'open').length, IDLE);
      const text = await new Promise((resolve) => {
        let got = '';
        const s = socks[Math.floor(IDLE / 2)];
        const t = setTimeout(() => resolve(got), 5000);
        s.on('data', (d) => { got += d; if (/\r\n\r\n/.test(got)) { clearTimeout(t); resolve(got); } });
        s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      });
      assert.equal(statusOf(text), 200);
    } finally {
      for (const s of socks) s.destroy();
      await idle.stop();
    }
    await healthy();
  });
});

describe('limits', () => {
  test('oversized headers: 431', async () => {
    const text = await rawExchange(srv.port,
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(64 * 1024)}\r\n\r\n`);
    assert.equal(statusOf(text), 431, text.slice(0, 300));
    // Many small headers adding up past the limit, too.
    let many = 'GET /healthz HTTP/1.1\r\nHost: x\r\n';
    for (let i = 0; i < 2000; i++) many += `X-H${i}: ${'c'.repeat(20)}\r\n`;
    const t2 = await rawExchange(srv.port, many + '\r\n');
    assert.equal(statusOf(t2), 431, t2.slice(0, 300));
    await healthy();
  });

  test('oversized bodies: 413, by Content-Length and by a chunked body', async () => {
    const head = 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n';
    const t1 = await rawExchange(srv.port, head + `Content-Length: ${2 * 1024 * 1024}\r\n\r\n`);
    assert.equal(statusOf(t1), 413, t1.slice(0, 300));
    assert.match(t1, /payload_too_large/);
    const chunk = 'x'.repeat(256 * 1024);
    let body = '';
    for (let i = 0; i < 6; i++) body += `${chunk.length.toString(16)}\r\n${chunk}\r\n`;
    const t2 = await rawExchange(srv.port, head + 'Transfer-Encoding: chunked\r\n\r\n' + body + '0\r\n\r\n');
    assert.equal(statusOf(t2), 413, t2.slice(0, 300));
    // The same through an ordinary client.
    const r = await client().request('POST', '/api/v1/cases', {
      raw: JSON.stringify({ title: 'x', content: 'y'.repeat(2 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    }).catch((e) => ({ status: 0, error: e }));
    assert.ok([413, 0].includes(r.status), `status ${r.status}`);
    await healthy();
  });

  test('malformed UTF-8 in a JSON string is a 400, not a 500', async () => {
    const bad = Buffer.concat([Buffer.from('{"username": "'), Buffer.from([0xc3, 0x28]),
      Buffer.from('", "password": "x"}')]);
    let r = await client().request('POST', '/api/v1/auth/login', { raw: bad, headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 400, r.text);
    const agent = client();
    assert.equal((await agent.login('agent1', DEMO_PASSWORD)).status, 200);
    const badCase = Buffer.concat([Buffer.from('{"type":"complaint","channel":"phone","title":"'),
      Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('","content":"内容","region_code":"220502"}')]);
    r = await agent.request('POST', '/api/v1/cases', {
      raw: badCase, headers: { 'content-type': 'application/json', 'idempotency-key': `hostile-utf8-${process.pid}` },
    });
    assert.equal(r.status, 400, r.text);
    // Overlong encoding and a lone surrogate escape.
    const overlong = Buffer.concat([Buffer.from('{"username": "'), Buffer.from([0xc0, 0xaf]), Buffer.from('", "password": "x"}')]);
    r = await client().request('POST', '/api/v1/auth/login', { raw: overlong, headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 400, r.text);
    r = await client().request('POST', '/api/v1/auth/login', {
      raw: '{"username": "\\ud800", "password": "x"}', headers: { 'content-type': 'application/json' },
    });
    assert.ok(r.status < 500, `lone surrogate: ${r.status} ${r.text}`);
    await healthy();
  });
});

describe('injection strings are data', () => {
  const NASTY = ["' OR 1=1 --", '"; DROP TABLE cases; --', '<script>alert(1)</script>'];

  // Title and content refuse markup on purpose (src/app/cases.cc LooksLikeHtml: 400
  // invalid_argument); everything else is stored as given.
  const refusesMarkup = (field, s) => ['title', 'content'].includes(field) && s.includes('<script>');
  const FIELDS = ['title', 'content', 'address', 'requester.name'];
  const benign = () => ({
    type: 'complaint', channel: 'phone', title: '路灯不亮', content: '小区门口路灯不亮', address: '东昌区新站街道',
    region_code: '220502', requester: { name: '钱七', phone: '13900004444' },
  });
  const read = (obj, field) => field.split('.').reduce((o, k) => o?.[k], obj);

  test('stored literally in every text field of intake (one field at a time) and read back equal', async () => {
    const agent = client();
    const dispatcher = client();
    assert.equal((await agent.login('agent1', DEMO_PASSWORD)).status, 200);
    assert.equal((await dispatcher.login('dispatcher1', DEMO_PASSWORD)).status, 200);
    let n = 0;
    for (const s of NASTY) {
      for (const field of FIELDS) {
        const body = benign();
        const value = `值 ${s}`;
        if (field === 'requester.name') body.requester.name = value; else body[field] = value;
        const r = await agent.post('/api/v1/cases', body, { headers: { 'idempotency-key': `hostile-inj-${process.pid}-${++n}` } });
        if (refusesMarkup(field, s)) {
          assert.equal(r.status, 400, `${field} = ${s}: ${r.text}`);
          assert.equal(r.json.code, 'invalid_argument');
          continue;
        }
        assert.equal(r.status, 201, `${field} = ${s}: ${r.text}`);
        const got = await dispatcher.get(`/api/v1/cases/${r.json.case.number}`);
        assert.equal(got.status, 200, got.text);
        assert.equal(read(got.json, field), value, `${field} read back`);
        for (const f of FIELDS.filter((x) => x !== field)) assert.equal(read(got.json, f), read(body, f), `${f} untouched`);
      }
      const q = await dispatcher.get(`/api/v1/cases?queue=all&q=${encodeURIComponent(s)}`);
      assert.equal(q.status, 200, q.text);
      const k = await client().get(`/api/v1/knowledge?q=${encodeURIComponent(s)}`);
      assert.equal(k.status, 200, k.text);
      // Injection strings in path segments are not errors either.
      for (const path of [`/api/v1/cases/${encodeURIComponent(s)}`, `/api/v1/orgs/${encodeURIComponent(s)}`,
        `/api/v1/workflows/${encodeURIComponent(s)}`, `/api/v1/knowledge/${encodeURIComponent(s)}`]) {
        const x = await dispatcher.get(path);
        assert.ok(x.status < 500 && x.status !== 200, `${path}: ${x.status}`);
      }
      const login = await client().login(s, s);
      assert.equal(login.status, 401, login.text);
    }
    // The cases table is still there and whole.
    const all = await dispatcher.get('/api/v1/cases?queue=all&limit=50');
    assert.equal(all.status, 200);
    assert.ok(all.json.items.length >= 10);
    await healthy();
  });

  // Regression: markup in the title was refused under the field name "content".
  test('markup in the title alone is refused naming the field "title"', async () => {
    const agent = client();
    assert.equal((await agent.login('agent1', DEMO_PASSWORD)).status, 200);
    const body = { ...benign(), title: '<script>alert(1)</script>' };
    const r = await agent.post('/api/v1/cases', body, { headers: { 'idempotency-key': `hostile-title-${process.pid}` } });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json.errors.map((e) => e.field), ['title']);
  });
});

describe('path traversal', () => {
  test('never returns a file outside the web root', async () => {
    const paths = ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2fetc%2fpasswd',
      '/assets/../../../../etc/passwd', '/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..%5c..%5cetc%5cpasswd',
      '/assets/..%252f..%252fetc%252fpasswd', '//etc/passwd', '/api/v1/../../../etc/passwd',
      '/assets/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd'];
    for (const p of paths) {
      const text = await rawExchange(srv.port, `GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      const status = statusOf(text);
      assert.ok(status > 0 && status < 500, `${p}: ${status} ${text.slice(0, 200)}`);
      assert.doesNotMatch(text, /root:.*:0:0:/, `${p} leaked /etc/passwd`);
    }
    // The static files themselves are served.
    const js = await fetch(srv.base + '/assets/app.js');
    assert.equal(js.status, 200);
    assert.equal(await js.text(), 'console.log("huiyin");');
    await healthy();
  });
});

describe('accounts and sessions', () => {
  test('login brute force: 20 wrong passwords → 423 after 5, still 423 with the right password', async () => {
    const statuses = [];
    for (let i = 0; i < 20; i++) statuses.push((await client().login('leader1', `Wrong-Passw0rd-${i}`)).status);
    // Attempts 1–4 are plain failures; the 5th failure locks (it may already answer 423).
    assert.deepEqual(statuses.slice(0, 4), [401, 401, 401, 401], statuses.join(','));
    assert.ok([401, 423].includes(statuses[4]), statuses.join(','));
    assert.ok(statuses.slice(5).every((s) => s === 423), statuses.join(','));
    const r = await client().login('leader1', DEMO_PASSWORD);
    assert.equal(r.status, 423, r.text);
    assert.equal(r.json.code, 'account_locked');
    await healthy();
  });

  test('CSRF: a state-changing request without the token is 403', async () => {
    const c = client();
    assert.equal((await c.login('secadmin1', DEMO_PASSWORD)).status, 200);
    const token = c.csrf;
    c.csrf = null;  // no X-CSRF-Token header at all
    let r = await c.post('/api/v1/users/agent1/unlock', {});
    assert.equal(r.status, 403, r.text);
    assert.equal(r.json.code, 'csrf_failed');
    r = await c.post('/api/v1/auth/logout', {});
    assert.equal(r.status, 403, r.text);
    r = await c.post('/api/v1/users/agent1/unlock', {}, { headers: { 'x-csrf-token': '' } });
    assert.equal(r.status, 403, r.text);
    c.csrf = token;  // with it, it works
    assert.equal((await c.post('/api/v1/users/agent1/unlock', {})).status, 204);
    await healthy();
  });

  test('security headers on API, error and static responses', async () => {
    const c = client();
    const responses = {
      'GET /healthz': await c.get('/healthz'),
      'GET /api/v1/auth/me (401)': await c.get('/api/v1/auth/me'),
      'GET /api/v1/no-such (404)': await c.get('/api/v1/no-such'),
      'GET /api/v1/workflows': await c.get('/api/v1/workflows'),
      'GET /': await c.get('/'),
      'GET /assets/app.js': await c.get('/assets/app.js'),
      'GET /some/spa/route': await c.get('/some/spa/route'),
    };
    for (const [name, r] of Object.entries(responses)) {
      assert.match(r.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, name);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', name);
      assert.ok(r.headers.get('referrer-policy'), `${name}: Referrer-Policy`);
    }
    assert.equal(responses['GET /'].status, 200);
    await healthy();
  });

  test('the session cookie is HttpOnly and SameSite', async () => {
    const r = await client().login('agent1', DEMO_PASSWORD);
    const cookie = r.headers.getSetCookie().find((x) => x.startsWith('huiyin_session='));
    assert.ok(cookie, 'a huiyin_session cookie is set');
    assert.match(cookie, /;\s*HttpOnly/i);
    assert.match(cookie, /;\s*SameSite=(Lax|Strict)/i);
    assert.match(cookie, /;\s*Path=\//i);
    await healthy();
  });

  test('session fixation: a client-chosen cookie is no session, and login issues a new value', async () => {
    const planted = 'AttackerChosenSessionValue0123456789abcdefXYZ';
    const c = client();
    c.cookies.set('huiyin_session', planted);
    assert.equal((await c.get('/api/v1/auth/me')).status, 401);
    const r = await c.login('dispatcher1', DEMO_PASSWORD);
    assert.equal(r.status, 200, r.text);
    const issued = c.cookies.get('huiyin_session');
    assert.ok(issued && issued !== planted, 'login replaced the planted cookie value');
    assert.equal((await c.get('/api/v1/auth/me')).status, 200);
    const attacker = client();
    attacker.cookies.set('huiyin_session', planted);
    assert.equal((await attacker.get('/api/v1/auth/me')).status, 401, 'the planted value is not a session');
    // A session that was valid before a new sign-in is not reused either.
    const d = client();
    await d.login('dispatcher1', DEMO_PASSWORD);
    const first = d.cookies.get('huiyin_session');
    await d.login('dispatcher1', DEMO_PASSWORD);
    assert.notEqual(d.cookies.get('huiyin_session'), first, 'a second sign-in issues a fresh value');
    await healthy();
  });
});

test('per-address sign-in limit: one address cannot spray passwords over many accounts', async () => {
  const limited = await startServer({ settings: { 'security.address_failures': 6,
    'server.trust_proxy_headers': true } });
  try {
    const from = (ip) => ({ headers: { 'x-real-ip': ip } });
    const c = new Client(limited.base);
    const accounts = ['agent1', 'dispatcher1', 'zjhandler1', 'cghandler1', 'leader1', 'clerk1', 'supervisor1', 'citizen1'];
    const statuses = [];
    for (const name of accounts) {
      const r = await c.request('POST', '/api/v1/auth/login', { body: { username: name, password: 'Wrong-Passw0rd-1' }, ...from('203.0.113.7') });
      statuses.push(r.status);
    }
    // One wrong password per account (no account reaches its own lockout), six per address.
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401, 429, 429], statuses.join(','));
    const r = await c.request('POST', '/api/v1/auth/login', { body: { username: 'agent1', password: DEMO_PASSWORD }, ...from('203.0.113.7') });
    assert.equal(r.status, 429, 'even the right password waits');
    assert.equal(r.json.code, 'rate_limited');
    assert.match(r.json.detail, /try again in 15 minute/);
    const retry = Number(r.headers.get('retry-after'));
    assert.ok(retry > 800 && retry <= 900, `Retry-After ${retry}`);
    // Another address signs in, and the accounts themselves were not locked by the sprayer.
    const ok = await c.request('POST', '/api/v1/auth/login', { body: { username: 'agent1', password: DEMO_PASSWORD }, ...from('198.51.100.20') });
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await fetch(limited.base + '/healthz')).status, 200);
  } finally {
    await limited.stop();
  }
});

