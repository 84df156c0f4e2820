// Starts the real `huiyin` binary on loopback against a throwaway database, for API tests.
// Every wait is bounded; the server is stopped with SIGTERM (then SIGKILL) at the end.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(new URL('../../..', import.meta.url).pathname);
export const BIN = process.env.HUIYIN_BIN || join(ROOT, 'build/release/bin/huiyin');
export const DEMO_PASSWORD = 'Demo-Passw0rd-2026';

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

// The database URL for a test: a fresh SQLite file, or a fresh schema on the test PostgreSQL
// server when HUIYIN_TEST_BACKEND=postgres (scripts/test.sh starts the cluster).
export function databaseUrl(dir) {
  if (process.env.HUIYIN_TEST_BACKEND === 'postgres') {
    const base = process.env.HUIYIN_TEST_PG_URL;
    if (!base) throw new Error('HUIYIN_TEST_PG_URL is not set');
    const schema = 't' + Math.random().toString(36).slice(2, 10);
    const psql = spawnSync('psql', [base, '-qAt', '-c', `CREATE SCHEMA ${schema}`], { encoding: 'utf8' });
    if (psql.status !== 0) throw new Error('cannot create schema: ' + psql.stderr);
    return `${base}?options=-csearch_path%3D${schema}`;
  }
  return `sqlite:${join(dir, 'huiyin.db')}`;
}

export function runCli(args, opts = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 120000, ...opts });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export async function startServer({ demo = true, settings = {}, env = {}, dir: inDir } = {}) {
  const dir = inDir ?? mkdtempSync(join(tmpdir(), 'huiyin-api-'));
  const db = databaseUrl(dir);
  const port = await freePort();
  const common = ['--db', db, '--set', `security.key_file=${join(dir, 'huiyin.key')}`,
    '--set', 'security.argon2=min'];
  for (const [k, v] of Object.entries(settings)) common.push('--set', `${k}=${v}`);
  let r = runCli(['migrate', ...common]);
  if (r.code !== 0) throw new Error('migrate failed: ' + r.stderr + r.stdout);
  if (demo) {
    r = runCli(['demo', ...common, '--password', DEMO_PASSWORD]);
    if (r.code !== 0) throw new Error('demo failed: ' + r.stderr + r.stdout);
  }
  const { proc, base, log } = await serve(common, { port, timeoutMs: 20000, env });
  return {
    base, port, dir, db, proc, common,
    log,
    cli: (a) => runCli([...a, ...common]),
    // Runs SQL on the server's database (sqlite3 or psql): for tests that must move time.
    sql(text) {
      const r = db.startsWith('sqlite:')
        ? spawnSync('sqlite3', [db.slice('sqlite:'.length), text], { encoding: 'utf8' })
        : spawnSync('psql', [db, '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', text], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error('sql failed: ' + r.stderr);
      return r.stdout.trim();
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {  // not yet exited (or killed)
        const exited = new Promise((r3) => proc.once('exit', r3));
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 10000);
        await exited;
        clearTimeout(t);
      }
      if (!inDir) rmSync(dir, { recursive: true, force: true });  // a caller's folder is theirs
    },
  };
}

// Starts `huiyin serve` with `common` (database, key file, settings) on `port` (a free one by
// default) and waits, bounded, until it answers /readyz. Several servers may share a database
// (PostgreSQL): scale-out and crash/restart tests.
export async function serve(common, { port, timeoutMs = 30000, extra = [], env = {} } = {}) {
  port = port ?? await freePort();
  const args = ['serve', ...common, '--set', `server.port=${port}`, '--set', 'server.access_log=false', ...extra];
  const proc = spawn(BIN, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  proc.stdout.on('data', (d) => { text += d; });
  proc.stderr.on('data', (d) => { text += d; });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error('huiyin exited early: ' + text);
    try {
      const res = await fetch(base + '/readyz', { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`huiyin did not become ready in ${timeoutMs / 1000} s: ` + text);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    proc, base, port,
    log: () => text,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10000);
      await exited;
      clearTimeout(t);
    },
  };
}

export function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}
