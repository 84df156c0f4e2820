// Attachments (issue 7 "materials uploaded"; issue 8 hostile uploads): an applicant uploads the
// materials of the item applied for; only PDF, PNG, JPEG and OFD recognised from the bytes are
// taken; names lose their path; the upload route takes bodies past the server's general limit up
// to attachments.max_bytes; files come back as downloads with the recognised type and nosniff;
// only the requester and the staff on the case see them.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Client } from './lib/client.mjs';
import { DEMO_PASSWORD, startServer } from './lib/server.mjs';

const MAX = 2 * 1024 * 1024; // above the server's 1 MiB body limit
let srv;
const u = {};
before(async () => {
  srv = await startServer({ settings: { 'attachments.max_bytes': MAX } });
  for (const name of ['citizen1', 'enterprise1', 'clerk1', 'zjhandler1', 'zjhead1', 'cghandler1']) {
    u[name] = new Client(srv.base);
    assert.equal((await u[name].login(name, DEMO_PASSWORD)).status, 200, name);
  }
});
after(async () => { await srv?.stop(); });

const FIRE = '000111003000-220500000000-11220500032412309B-01'; // 特殊建设工程消防设计审查

function pdf(size = 600) {
  const head = Buffer.from('%PDF-1.7\n% 消防设计文件\n');
  return Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length), 0x41)]);
}

async function upload(who, number, bytes, query) {
  return u[who].request('POST', `/api/v1/cases/${number}/attachments?${query}`, {
    raw: bytes, headers: { 'content-type': 'application/octet-stream' },
  });
}

let app;
let materials;
test('an applicant uploads the materials the item lists; the window sees what is missing', async () => {
  materials = (await u.citizen1.get(`/api/v1/services/${FIRE}`)).json.content.materials;
  assert.ok(materials.length >= 2);
  const r = await u.citizen1.post('/api/v1/cases', {
    kind: 'application', type: 'new', channel: 'web', category: FIRE, title: '消防设计审查申请',
    content: '网上申请，附材料',
  }, { headers: { 'idempotency-key': 'att-1' } });
  assert.equal(r.status, 201, r.text);
  app = r.json.case;
  const bytes = pdf();
  const name = encodeURIComponent('../../etc/消防设计文件.pdf');
  const m = encodeURIComponent(materials[0].name);
  const up = await upload('citizen1', app.number, bytes, `name=${name}&material=${m}`);
  assert.equal(up.status, 201, up.text);
  assert.equal(up.json.name, '消防设计文件.pdf', 'the path is gone');
  assert.equal(up.json.content_type, 'application/pdf');
  assert.equal(up.json.size, bytes.length);
  assert.equal(up.json.sha256, createHash('sha256').update(bytes).digest('hex'));
  assert.equal(up.json.material, materials[0].name);
  // A material the item does not list is named in the refusal.
  const bad = await upload('citizen1', app.number, bytes, `name=a.pdf&material=${encodeURIComponent('户口本')}`);
  assert.equal(bad.status, 400);
  assert.match(bad.json.detail, new RegExp(materials[0].name));
  // The list: files and the item's materials with what was uploaded.
  const list = await u.clerk1.get(`/api/v1/cases/${app.number}/attachments`);
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.items.length, 1);
  const first = list.json.materials.find((x) => x.name === materials[0].name);
  assert.equal(first.uploaded, 1);
  assert.equal(first.required, materials[0].required);
  assert.ok(list.json.materials.filter((x) => x.required && x.uploaded === 0).length >= 1, 'still missing some');
  // The case changed: a new version and an event on the timeline.
  const c = (await u.clerk1.get(`/api/v1/cases/${app.number}`)).json;
  assert.equal(c.version, app.version + 1);
  assert.ok(c.timeline.some((e) => e.action === 'attach' && e.note.includes('消防设计文件.pdf')));
});

test('downloads: the recognised type, an attachment disposition, nosniff; only those on the case', async () => {
  const list = (await u.citizen1.get(`/api/v1/cases/${app.number}/attachments`)).json.items;
  const path = `/api/v1/cases/${app.number}/attachments/${list[0].id}`;
  const res = await fetch(srv.base + path, {
    headers: { cookie: [...u.zjhandler1.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  assert.equal(res.status, 200);
  const body = Buffer.from(await res.arrayBuffer());
  assert.equal(createHash('sha256').update(body).digest('hex'), list[0].sha256);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.match(res.headers.get('content-disposition'), /^attachment; filename="_+\.pdf"; filename\*=UTF-8''%E6%B6%88/);
  assert.match(res.headers.get('content-security-policy'), /sandbox/);
  // Another applicant, another unit, nobody signed in: nothing.
  assert.equal((await u.enterprise1.get(path)).status, 404);
  assert.equal((await u.cghandler1.get(`/api/v1/cases/${app.number}/attachments`)).status, 404);
  assert.equal((await upload('enterprise1', app.number, pdf(), 'name=x.pdf')).status, 404);
  assert.equal((await new Client(srv.base).get(path)).status, 401);
  assert.equal((await u.citizen1.get(`/api/v1/cases/${app.number}/attachments/999999`)).status, 404);
});

test('hostile uploads are refused cleanly and store nothing', async () => {
  const before = (await u.citizen1.get(`/api/v1/cases/${app.number}/attachments`)).json.items.length;
  // Script claiming to be an image: recognised as nothing.
  let r = await u.citizen1.request('POST', `/api/v1/cases/${app.number}/attachments?name=x.png`, {
    raw: Buffer.from('<script>alert(1)</script>'), headers: { 'content-type': 'image/png' },
  });
  assert.equal(r.status, 415, r.text);
  assert.match(r.json.detail, /PDF, PNG, JPEG/);
  r = await upload('citizen1', app.number, Buffer.alloc(0), 'name=empty.pdf');
  assert.equal(r.status, 400);
  r = await upload('citizen1', app.number, pdf(), 'name=');
  assert.equal(r.status, 400);
  assert.match(r.json.detail, /name/);
  r = await upload('citizen1', app.number, pdf(), 'name=%2F%2F..%2F');
  assert.equal(r.status, 400, 'nothing left of a name that is only a path');
  r = await upload('citizen1', app.number, pdf(), 'name=%FF%FE.pdf');
  assert.equal(r.status, 400, 'a name that is not UTF-8');
  // Past the server's 1 MiB body limit but within the upload limit: taken.
  const png = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(1536 * 1024, 7)]);
  r = await upload('citizen1', app.number, png, 'name=site.png');
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.content_type, 'image/png');
  // Past the upload limit: 413, nothing stored.
  r = await upload('citizen1', app.number, pdf(MAX + 10), 'name=big.pdf');
  assert.equal(r.status, 413);
  const afterList = (await u.citizen1.get(`/api/v1/cases/${app.number}/attachments`)).json.items;
  assert.equal(afterList.length, before + 1);
  // Without the CSRF token a session cannot upload.
  r = await u.citizen1.request('POST', `/api/v1/cases/${app.number}/attachments?name=c.pdf`, {
    raw: pdf(), headers: { 'x-csrf-token': 'wrong' },
  });
  assert.equal(r.status, 403);
});

test('a finished case takes no more files', async () => {
  let c = (await u.clerk1.get(`/api/v1/cases/${app.number}`)).json;
  const r = await u.clerk1.post(`/api/v1/cases/${app.number}/transitions/refuse`, {
    version: c.version, reason: '不属于本机关职权范围', channel: '通化市消防救援支队',
  });
  assert.equal(r.status, 200, r.text);
  c = r.json;
  const up = await upload('citizen1', app.number, pdf(), 'name=late.pdf');
  assert.equal(up.status, 409);
  assert.match(up.json.detail, /not_accepted/);
});
