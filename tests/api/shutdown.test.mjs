// SIGTERM during concurrent writes: requests in flight finish, no partial write is left, and the
// audit chain still verifies after restart (issue 2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from './lib/client.mjs';
import { startServer } from './lib/server.mjs';

test('SIGTERM under concurrent sign-ups leaves every acknowledged write complete', async () => {
  const srv = await startServer({ demo: false });
  try {
    const accepted = [];
    const failed = [];
    let n = 0;
    const worker = async (w) => {
      for (let i = 0; i < 200; i++) {
        const username = `citizen-${w}-${i}`;
        const body = {
          username, display_name: '市民' + i, password: 'Sign-up-Pass-2026!',
          phone: '139' + String(10000000 + w * 1000 + i).slice(-8),
        };
        try {
          const r = await new Client(srv.base).post('/api/v1/auth/signup', body);
          if (r.status === 201) accepted.push(username); else failed.push(r.status);
        } catch {
          return;  // the server has gone away
        }
        n++;
      }
    };
    const workers = [0, 1, 2, 3].map(worker);
    // Let some sign-ups land, then stop the server while more are in flight.
    const t0 = Date.now();
    while (n < 20 && Date.now() - t0 < 10000) await new Promise((r) => setTimeout(r, 10));
    const exited = new Promise((r) => srv.proc.once('exit', (code, sig) => r({ code, sig })));
    srv.proc.kill('SIGTERM');
    const { code } = await exited;
    await Promise.all(workers);
    assert.equal(code, 0, 'graceful exit: ' + srv.log().slice(-2000));
    assert.ok(accepted.length >= 20, `some sign-ups were accepted (${accepted.length})`);
    // Every acknowledged sign-up is there with its audit row, and the chain verifies.
    const verify = srv.cli(['audit', 'verify']);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    const rows = Number(/(\d+) rows checked/.exec(verify.stdout)[1]);
    assert.ok(rows >= accepted.length, `${rows} audit rows for ${accepted.length} sign-ups`);
  } finally {
    await srv.stop();
  }
});
