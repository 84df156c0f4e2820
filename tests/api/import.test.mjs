// `huiyin import appeals`: rejected rows are reported by line, nothing is imported unless told to
// skip them, and imported history is visible through the API (issue 4).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Client } from './lib/client.mjs';
import { DEMO_PASSWORD, startServer } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const header = 'legacy_id,type,channel,title,content,category,region_code,created_at,state,lead_org_code,reply,satisfaction\n';
const good = [
  'A-1,complaint,phone,噪音扰民,"夜间施工噪音,影响休息",生态环境,220502,2025-03-01T10:00:00+08:00,closed,,已责令停工,4',
  'A-2,enquiry,web,公积金提取,"如何提取""住房公积金""?",,,2025-03-02T09:30:00+08:00,closed,,请携带身份证到公积金中心办理,5',
  'A-3,help,phone,暖气不热,室温14度,,220502,2025-12-01T08:00:00+08:00,,,,',
];

async function count(q) {
  const c = new Client(srv.base);
  await c.login('dispatcher1', DEMO_PASSWORD);
  const r = await c.get('/api/v1/cases?limit=200&q=' + encodeURIComponent(q));
  return r.json.items.length;
}

test('a file with a bad row is refused whole, naming the line and the reason', async () => {
  const file = join(srv.dir, 'history-bad.csv');
  writeFileSync(file, header + good.join('\n') + '\nA-4,rumour,phone,坏行,内容,,,2025-03-03T08:00:00+08:00,,,,\n');
  const r = srv.cli(['import', 'appeals', file]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /rejected line 5: .*type/);
  assert.match(r.stdout, /nothing imported/);
  assert.equal(await count('公积金提取'), 0);
});

test('valid rows import with --skip-invalid, keeping their dates and replies', async () => {
  const file = join(srv.dir, 'history.csv');
  writeFileSync(file, header + good.join('\n') + '\nA-4,complaint,phone,坏日期,内容,,,2025-02-30,,,,\n');
  const r = srv.cli(['import', 'appeals', file, '--skip-invalid']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /rejected line 5: created_at/);
  assert.match(r.stdout, /imported 3 of 4 rows/);
  const c = new Client(srv.base);
  await c.login('dispatcher1', DEMO_PASSWORD);
  const list = await c.get('/api/v1/cases?q=' + encodeURIComponent('公积金提取'));
  assert.equal(list.json.items.length, 1);
  const one = list.json.items[0];
  assert.match(one.number, /^SQ20250302\d{6}$/);
  const full = await c.get(`/api/v1/cases/${one.number}`);
  assert.equal(full.json.state, 'closed');
  assert.equal(full.json.reply, '请携带身份证到公积金中心办理');
  assert.equal(full.json.content, '如何提取"住房公积金"?');
});
