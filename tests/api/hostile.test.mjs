// Hostile input (issue 8): each attack is refused cleanly and the server keeps serving everybody
// else (GET /healthz is checked after each case). Slowloris, slow bodies, readers that never read
// their answers (one big download each, or pipelined requests), idle-connection floods, oversized
// headers and bodies, malformed UTF-8, injection strings, path traversal, login brute force,
// CSRF, security headers, cookie flags and session fixation. Every wait is bounded.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from './lib/client.mjs';
import { DEMO_PASSWORD, startServer } from './lib/server.mjs';

let srv;
let webRoot;
before(async () => {
  // The web root is a directory of our own, so static responses are deterministic.
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

// Slow clients: a request body trickled byte by byte, and readers that never read what they asked
// for (a big download each, or pipelined requests). The read timeout covers the whole request
// (header and body); the write timeout one whole response.
const MiB = 1024 * 1024;
// What the slow readers download: more than the loopback buffers take (the server's send buffer
// grows to tcp_wmem's 4 MiB, a paused client's receive window stays near its start: ~3.7 MiB in
// all, measured), so the server's write of it stays pending.
const BIG = 6 * MiB;
// The write timeout the tests of the cut-off ask for (server.write_timeout_ms).
const WRITE_TIMEOUT_MS = 1000;

const rssKiB = (pid) => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const contentLength = (head) => Number(/\r\ncontent-length:\s*(\d+)/i.exec(head ?? '')?.[1] ?? -1);

// Polls `pred` every `step` ms until it holds or `ms` have passed; says whether it came to hold.
async function until(pred, ms, step = 50) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await pred()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(step);
  }
}

// Client connections the server holds (gauge huiyin_http_connections_open), without the one
// this question comes on.
async function openConnections(port) {
  const text = await rawExchange(port, 'GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  const m = /^huiyin_http_connections_open (\d+)\r?$/m.exec(text);
  assert.ok(m, `the connection gauge is exported: ${text.slice(0, 200)}`);
  return Number(m[1]) - 1;
}

// The TCP state of the server's end of each loopback connection to `port`, by the client's port
// (/proc/net/tcp): '01' established; '04' FIN_WAIT1 once the server closed it with data unsent.
function serverEnds(port) {
  const hex = (n) => n.toString(16).toUpperCase().padStart(4, '0');
  const local = `0100007F:${hex(port)}`;
  const ends = new Map();
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[1] === local) ends.set(parseInt(f[2].split(':')[1], 16), f[3]);
  }
  return ends;
}

let bigSeq = 0;
// citizen1's own case on `server` with a BIG-byte PDF attached: the download's path, and the
// signed-in client, its Cookie header and a raw request for the download.
async function bigDownload(server) {
  const c = new Client(server.base);
  assert.equal((await c.login('citizen1', DEMO_PASSWORD)).status, 200);
  const k = await c.post('/api/v1/cases', {
    type: 'suggestion', channel: 'mobile', title: '增加公交班次', content: '建议3路公交早高峰加密班次',
  }, { headers: { 'idempotency-key': `hostile-slow-${process.pid}-${++bigSeq}` } });
  assert.equal(k.status, 201, k.text);
  const number = k.json.case.number;
  const head = Buffer.from('%PDF-1.7\n% 大附件\n');
  const bytes = Buffer.concat([head, Buffer.alloc(BIG - head.length, 0x41)]);
  const up = await c.request('POST', `/api/v1/cases/${number}/attachments?name=big.pdf`, {
    raw: bytes, headers: { 'content-type': 'application/octet-stream' },
  });
  assert.equal(up.status, 201, up.text);
  assert.equal(up.json.size, BIG);
  const path = `/api/v1/cases/${number}/attachments/${up.json.id}`;
  const cookie = [...c.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
  return { client: c, number, path, cookie, request: `GET ${path} HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\n\r\n` };
}
let sharedBigDownload;
const srvBig = () => (sharedBigDownload ??= bigDownload(srv));

// Reads its cache and arenas full once (four downloads at a time: the SQLite readers' page
// caches, the allocator's per-thread arenas), so that RSS before a test is that of a server that
// has served the file.
async function warmUp(server, big) {
  await Promise.all(Array.from({ length: 4 }, async () => {
    const r = await fetch(server.base + big.path, { headers: { cookie: big.cookie }, signal: AbortSignal.timeout(10000) });
    assert.equal(r.status, 200);
    assert.equal((await r.arrayBuffer()).byteLength, BIG);
  }));
}

// A connection that sends `chunks` and reads only the first chunk of the answer (status line and
// headers): then it pauses, the kernel buffers fill, and the server's write waits.
function stuckReader(port, chunks) {
  const s = net.connect(port, '127.0.0.1');
  s.head = null;
  s.headAt = null;
  s.received = 0;
  s.closedAt = null;
  s.on('error', () => { /* reset by the server */ });
  s.on('close', () => { s.closedAt = Date.now(); });
  s.on('data', (d) => {
    s.received += d.length;
    if (s.head === null) {
      s.head = d.toString('latin1', 0, Math.min(d.length, 4096));
      s.headAt = Date.now();
      s.pause();
    }
  });
  s.on('connect', () => {
    s.sentAt = Date.now();
    for (const c of [].concat(chunks)) s.write(c);
  });
  return s;
}

// Others are served at once: /healthz, and two signed-in API calls (one reads the database), each
// on a connection of its own. 2 s is generous (a few ms measured); a server whose threads wait
// on the stuck writes would answer only after the write timeout, or not at all.
async function othersServed(server, big) {
  const took = {};
  for (const [name, path] of [['healthz', '/healthz'], ['me', '/api/v1/auth/me'], ['case', `/api/v1/cases/${big.number}`]]) {
    const t0 = Date.now();
    const text = await rawExchange(server.port,
      `GET ${path} HTTP/1.1\r\nHost: x\r\nCookie: ${big.cookie}\r\nConnection: close\r\n\r\n`, 5000);
    took[name] = Date.now() - t0;
    assert.equal(statusOf(text), 200, `${path}: ${text.slice(0, 200)}`);
    assert.ok(took[name] < 2000, `${path} answered in ${took[name]} ms`);
  }
  return took;
}

// A server of its own with short timeouts, in a folder of ours (removed even if it fails to start).
let wtServer;
let wtDir;
const writeTimeoutServer = () => (wtServer ??= startServer({
  dir: (wtDir = mkdtempSync(join(tmpdir(), 'huiyin-slow-'))),
  settings: { 'server.read_timeout_ms': 1000, 'server.write_timeout_ms': WRITE_TIMEOUT_MS },
}));

// The pipelined requests: 40 downloads, then 4,000 health checks padded to 8 KiB (32 MiB in all,
// in 64 KiB writes so the client sees how much the kernel took). Once the server's write of the
// first download waits, a server that reads no further ahead leaves most of it with the client.
function pipelined(big) {
  const pad = `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ${'p'.repeat(8000)}\r\n\r\n`;
  const payload = big.request.repeat(40) + pad.repeat(4000);
  const chunks = [];
  for (let i = 0; i < payload.length; i += 64 * 1024) chunks.push(payload.slice(i, i + 64 * 1024));
  return { chunks, length: payload.length };
}

// One wave of `n` readers that never read the big download on `server`. `tick(socks)` runs at
// every poll from the start; once every answer began, `end(socks)` ends the wave (the readers
// are destroyed afterwards in any case). Returns the peak RSS of the server during the wave, its
// RSS 200 ms after, how long the answers took to begin, and what `end` returned.
async function readersWave(server, big, n, { tick = () => {}, end }) {
  const pid = server.proc.pid;
  let peak = rssKiB(pid);
  const socks = [];
  const poll = async (pred, ms) => until(async () => {
    peak = Math.max(peak, rssKiB(pid));
    await tick(socks);
    return pred();
  }, ms, 20);
  try {
    // Ten at a time, each ten once their answers began: the point is n stuck readers, not a burst
    // of n downloads (which would queue past the database pool's 5 s wait, a 503).
    const t0 = Date.now();
    for (let i = 0; i < n; i += 10) {
      const batch = [];
      for (let j = i; j < Math.min(n, i + 10); j++) batch.push(stuckReader(server.port, big.request));
      socks.push(...batch);
      await poll(() => batch.every((s) => s.head !== null || s.closedAt !== null), 20000);
    }
    const answered = socks.filter((s) => s.head !== null).length;
    assert.equal(answered, n, `${answered} of ${n} downloads began`);
    const began = Date.now() - t0;
    for (const s of socks) {
      assert.equal(statusOf(s.head), 200, s.head?.slice(0, 200));
      assert.equal(contentLength(s.head), BIG);
    }
    const ended = await end(socks, poll);
    peak = Math.max(peak, rssKiB(pid));
    await sleep(200);
    return { peak, after: rssKiB(pid), began, ended };
  } finally {
    for (const s of socks) s.destroy();
  }
}

// Memory bounds for two `waves` of `n` stuck readers of the big download, RSS in KiB.
// - During a wave: each stuck connection holds its whole answer (a Beast string body) until the
//   write ends, n × 6 MiB = 300 MiB for 50. Allow as much again for the copies made while the
//   answers are built (the row's base64 text, the driver's result, the decoded file) and the
//   allocator's per-thread arenas, and 128 MiB for the rest: 728 MiB. Measured: 410–510 MiB on
//   both backends. Holding two copies per reader, or reading and answering further, crosses it.
// - Across waves: glibc keeps much of what was freed for reuse (RSS after a wave 100–260 MiB
//   above the start, measured), so RSS is not compared with the start: the second wave must
//   reuse what the first left (measured: peaks −25…+55 MiB, RSS after −20…+110 MiB apart; seven
//   waves in a row level off). Two thirds of an answer per reader are allowed (200 MiB); an
//   answer leaked per reader would add 300 MiB.
function assertMemoryBounded(before, waves, n) {
  const mib = (kib) => (kib / 1024).toFixed(0);
  for (const w of waves) {
    assert.ok((w.peak - before) / 1024 <= 2 * n * BIG / MiB + 128,
      `RSS grew by ${mib(w.peak - before)} MiB with ${n} stuck readers`);
  }
  const [a, b] = waves;
  const reuse = (2 / 3) * n * BIG / MiB;
  assert.ok((b.peak - a.peak) / 1024 <= reuse, `second wave peak ${mib(b.peak)} MiB, first ${mib(a.peak)} MiB`);
  assert.ok((b.after - a.after) / 1024 <= reuse, `after the second wave ${mib(b.after)} MiB, after the first ${mib(a.after)} MiB`);
  return `RSS ${mib(before)} MiB before; peak ${waves.map((w) => mib(w.peak)).join(', ')} MiB; `
    + `after ${waves.map((w) => mib(w.after)).join(', ')} MiB`;
}

describe('slow clients', () => {
  after(async () => {
    await (await wtServer?.catch(() => null))?.stop();
    if (wtDir) rmSync(wtDir, { recursive: true, force: true });
  });

  test('a body trickled one byte every 200 ms is cut off by the read timeout; others are served', { timeout: 30000 }, async () => {
    const big = await srvBig();
    const files = async () => (await big.client.get(`/api/v1/cases/${big.number}/attachments`)).json.items.length;
    const filesBefore = await files();
    const login = JSON.stringify({ username: 'agent1', password: DEMO_PASSWORD });
    const pdf = '%PDF-1.7\n' + 'A'.repeat(200);
    // A sign-in that would succeed, and an upload (a route with a larger body limit).
    const slow = [
      { name: 'sign-in', body: login, head: 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n'
        + `Content-Type: application/json\r\nContent-Length: ${login.length}\r\n\r\n` },
      { name: 'upload', body: pdf, head: `POST /api/v1/cases/${big.number}/attachments?name=slow.pdf HTTP/1.1\r\n`
        + `Host: x\r\nCookie: ${big.cookie}\r\nX-CSRF-Token: ${big.client.csrf}\r\n`
        + `Content-Type: application/octet-stream\r\nContent-Length: ${pdf.length}\r\n\r\n` },
    ];
    try {
      for (const x of slow) {
        Object.assign(x, { sock: net.connect(srv.port, '127.0.0.1'), sent: 0, received: '', closedAt: null });
        x.sock.on('data', (d) => { x.received += d.toString('latin1'); });
        x.sock.on('close', () => { x.closedAt = Date.now(); });
        x.sock.on('error', () => { /* reset by the server */ });
      }
      await Promise.all(slow.map((x) => new Promise((r, j) => { x.sock.once('connect', r); x.sock.once('error', j); })));
      const started = Date.now();
      for (const x of slow) x.sock.write(x.head);  // the headers whole, at once
      let servedMeanwhile = null;
      // At most 15 s (the sign-in body alone would take ~10 s); the server must close long before.
      while (slow.some((x) => x.closedAt === null) && Date.now() - started < 15000) {
        for (const x of slow) {
          if (x.closedAt === null && !x.sock.destroyed && x.sent < x.body.length) x.sock.write(x.body[x.sent++]);
        }
        if (servedMeanwhile === null && Date.now() - started >= 200) servedMeanwhile = await othersServed(srv, big);
        await sleep(200);
      }
      assert.ok(servedMeanwhile, 'others were served during the slow bodies');
      for (const x of slow) {
        assert.ok(x.closedAt !== null, `${x.name}: the server closed the connection (sent ${x.sent}/${x.body.length} body bytes)`);
        assert.ok(x.sent < x.body.length, `${x.name}: closed before the body was complete`);
        const lasted = x.closedAt - started;
        assert.ok(lasted >= 800 && lasted < 6000, `${x.name}: closed after ${lasted} ms (read timeout 1000 ms)`);
        // Never executed: no answer at all, or a 408.
        assert.ok([0, 408].includes(statusOf(x.received)), `${x.name}: ${x.received.slice(0, 200)}`);
      }
      assert.equal(await files(), filesBefore, 'the partial upload stored nothing');
    } finally {
      for (const x of slow) x.sock?.destroy();
    }
    await healthy();
  });

  test('50 readers that never read a 6 MiB download: others are served at once, memory stays bounded and is reused, freed when they go', { timeout: 60000 }, async (ctx) => {
    const N = 50;
    const big = await srvBig();
    await warmUp(srv, big);
    const base = await openConnections(srv.port);
    const before = rssKiB(srv.proc.pid);
    const waves = [];
    for (let i = 0; i < 2; i++) {
      waves.push(await readersWave(srv, big, N, {
        async end(socks) {
          // All stuck (the write timeout is 30 s): the server's ends are still established.
          const ends = serverEnds(srv.port);
          assert.equal(socks.filter((s) => ends.get(s.localPort) === '01').length, N, 'the readers are still connected');
          const took = await othersServed(srv, big);
          // They go away (a reset): the server notices at once and drops their answers.
          const t0 = Date.now();
          for (const s of socks) s.destroy();
          const released = await until(async () => (await openConnections(srv.port)) <= base + 2, 5000);
          assert.ok(released, `${await openConnections(srv.port)} connections still open (${base} before)`);
          return { took, dropped: Date.now() - t0 };
        },
      }));
    }
    const memory = assertMemoryBounded(before, waves, N);
    ctx.diagnostic(`${memory}; the ${N} downloads began within ${waves.map((w) => w.began).join(', ')} ms; others `
      + `answered in ${waves.map((w) => JSON.stringify(w.ended.took)).join(', ')} ms; dropped `
      + `${waves.map((w) => w.ended.dropped).join(', ')} ms after the readers left`);
    await healthy();
  });

  test('pipelined requests whose answers are never read: the server reads no further ahead, holds one answer, serves others', { timeout: 30000 }, async (ctx) => {
    const big = await srvBig();
    const pid = srv.proc.pid;
    await warmUp(srv, big);
    const base = await openConnections(srv.port);
    const before = rssKiB(pid);
    let peak = before;
    const p = pipelined(big);
    const s = stuckReader(srv.port, p.chunks);
    try {
      assert.ok(await until(() => s.head !== null || s.closedAt !== null, 10000), 'the first answer began');
      assert.equal(statusOf(s.head), 200, s.head?.slice(0, 200));
      assert.equal(contentLength(s.head), BIG, 'the first answer is the first download');
      // Until what the client has handed over stops changing for 500 ms.
      let taken = -1;
      let since = Date.now();
      await until(() => {
        peak = Math.max(peak, rssKiB(pid));
        const now = p.length - s.writableLength;
        if (now !== taken) { taken = now; since = Date.now(); }
        return Date.now() - since >= 500;
      }, 10000);
      assert.ok(taken < p.length / 2, `the server stopped reading: it took ${taken} of ${p.length} bytes`);
      assert.equal(serverEnds(srv.port).get(s.localPort), '01', 'the connection is still open (write timeout 30 s)');
      const took = await othersServed(srv, big);
      peak = Math.max(peak, rssKiB(pid));
      // One answer held (6 MiB) and one worker's copies while building it: 56 MiB allowed, 0–17 MiB
      // measured; a server that went on answering the 40 downloads would hold 240 MiB.
      const growth = (peak - before) / 1024;
      assert.ok(growth <= 4 * BIG / MiB + 32, `RSS grew by ${growth.toFixed(0)} MiB`);
      s.destroy();
      assert.ok(await until(async () => (await openConnections(srv.port)) <= base + 2, 5000), 'dropped when the client left');
      ctx.diagnostic(`the server took ${(taken / MiB).toFixed(2)} of ${(p.length / MiB).toFixed(1)} MiB of requests; `
        + `RSS ${(before / 1024).toFixed(0)} → peak ${(peak / 1024).toFixed(0)} MiB; others answered in ${JSON.stringify(took)} ms`);
    } finally {
      s.destroy();
    }
    await healthy();
  });

  // server.write_timeout_ms bounds how long a reader that never reads holds its connection and its
  // answer (default 30 s; 1 s here).
  test('a reader that never reads is dropped after server.write_timeout_ms, and so are 50; memory is bounded and reused', { timeout: 90000 + 4 * WRITE_TIMEOUT_MS }, async (ctx) => {
    const N = 50;
    const wt = await writeTimeoutServer();
    const big = await bigDownload(wt);
    await warmUp(wt, big);
    const base = await openConnections(wt.port);
    const before = rssKiB(wt.proc.pid);
    // The server's timer starts when it begins to write, which lies between the client sending the
    // request and seeing the answer's head (on a loaded machine the client may notice the head
    // hundreds of ms late): not before the timeout counted from the request, and within 3 s of it
    // counted from the head.
    const inTime = (s, cutAt) => cutAt - s.sentAt >= WRITE_TIMEOUT_MS * 0.8 &&
      cutAt - s.headAt < WRITE_TIMEOUT_MS + 3000;

    // One reader: dropped once the write timeout has passed, not before; others served meanwhile.
    const one = stuckReader(wt.port, big.request);
    let lasted;
    try {
      assert.ok(await until(() => one.head !== null || one.closedAt !== null, 10000), 'the download began');
      assert.equal(statusOf(one.head), 200, one.head?.slice(0, 200));
      assert.equal(contentLength(one.head), BIG);
      assert.equal(serverEnds(wt.port).get(one.localPort), '01');
      await othersServed(wt, big);
      assert.equal(serverEnds(wt.port).get(one.localPort), '01', 'still connected while others were served');
      let cutAt = null;
      await until(() => {
        if (serverEnds(wt.port).get(one.localPort) !== '01') cutAt = Date.now();
        return cutAt !== null;
      }, WRITE_TIMEOUT_MS + 10000, 20);
      assert.ok(cutAt !== null, `still connected ${WRITE_TIMEOUT_MS + 10000} ms after the answer began`);
      lasted = cutAt - one.headAt;
      assert.ok(inTime(one, cutAt), `dropped ${lasted} ms after the answer began, ${cutAt - one.sentAt} ms after the request (write timeout ${WRITE_TIMEOUT_MS} ms)`);
      // Reading now, the client gets what the kernel held, then the end: a truncated answer.
      one.resume();
      assert.ok(await until(() => one.closedAt !== null, 5000), 'the client sees the end');
      assert.ok(one.received < BIG, `${one.received} bytes arrived of ${BIG}`);
    } finally {
      one.destroy();
    }

    // Two waves of 50: every reader dropped in time by the server itself; memory bounded, reused.
    const waves = [];
    for (let i = 0; i < 2; i++) {
      const cut = new Map();
      waves.push(await readersWave(wt, big, N, {
        tick(socks) {
          const ends = serverEnds(wt.port);
          for (const s of socks) {
            if (s.head !== null && !cut.has(s) && ends.get(s.localPort) !== '01') cut.set(s, Date.now());
          }
        },
        async end(socks, poll) {
          const all = await poll(() => socks.every((s) => cut.has(s)), WRITE_TIMEOUT_MS + 10000);
          assert.ok(all, `${cut.size} of ${N} readers dropped`);
          const times = socks.map((s) => cut.get(s) - s.headAt);
          for (const s of socks) {
            assert.ok(inTime(s, cut.get(s)), `a reader dropped ${cut.get(s) - s.headAt} ms after its answer ` +
              `began, ${cut.get(s) - s.sentAt} ms after its request`);
          }
          assert.ok(await until(async () => (await openConnections(wt.port)) <= base + 2, 5000), 'the server let go of them');
          return { min: Math.min(...times), max: Math.max(...times) };
        },
      }));
    }
    const memory = assertMemoryBounded(before, waves, N);
    ctx.diagnostic(`one reader dropped after ${lasted} ms; waves of ${N} after `
      + `${waves.map((w) => `${w.ended.min}–${w.ended.max}`).join(', ')} ms; ${memory}`);
    await healthy(wt.base);
  });

  test('pipelined requests whose answers are never read are dropped after server.write_timeout_ms', { timeout: 30000 + 3 * WRITE_TIMEOUT_MS }, async (ctx) => {
    const wt = await writeTimeoutServer();
    const big = await bigDownload(wt);
    const base = await openConnections(wt.port);
    const p = pipelined(big);
    const s = stuckReader(wt.port, p.chunks);
    try {
      assert.ok(await until(() => s.head !== null || s.closedAt !== null, 10000), 'the first answer began');
      assert.equal(statusOf(s.head), 200, s.head?.slice(0, 200));
      await othersServed(wt, big);
      let cutAt = null;
      await until(() => {
        if (serverEnds(wt.port).get(s.localPort) !== '01') cutAt = Date.now();
        return cutAt !== null;
      }, WRITE_TIMEOUT_MS + 10000, 20);
      assert.ok(cutAt !== null, 'the pipelining client was dropped');
      const lasted = cutAt - s.headAt;
      // As above: not before the timeout counted from the requests, within 3 s of it from the head.
      assert.ok(cutAt - s.sentAt >= WRITE_TIMEOUT_MS * 0.8 && lasted < WRITE_TIMEOUT_MS + 3000,
        `dropped ${lasted} ms after the first answer began, ${cutAt - s.sentAt} ms after the requests`);
      // Closed with requests unread: the client is reset, and learns of it as it writes.
      assert.ok(await until(() => s.closedAt !== null, 5000), 'the client sees its connection closed');
      assert.ok(await until(async () => (await openConnections(wt.port)) <= base + 2, 5000), 'the server let go of it');
      ctx.diagnostic(`pipelining client dropped ${lasted} ms after its first answer began`);
    } finally {
      s.destroy();
    }
    await healthy(wt.base);
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

