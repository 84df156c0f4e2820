// Open311 GeoReport v2 conformance (issue 5), against the real binary on SQLite and PostgreSQL:
// every endpoint in XML and JSON, JSON validated against the standard's schemas
// (tests/api/open311/schemas), XML checked well-formed, every error case, the quirks real clients
// send, and the full loop: filed through Open311, dispatched, replied to and closed by staff
// through the normal API, then shown closed with the reply as status_notes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request as rawRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { createRequire } from 'node:module';
import { Client } from './lib/client.mjs';
import { DEMO_PASSWORD, ROOT, startServer } from './lib/server.mjs';

// The test-only packages live in tests/node_modules (npm ci --prefix tests).
const require = createRequire(`${ROOT}/tests/package.json`);
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
const { XMLValidator, XMLParser } = require('fast-xml-parser');

const SCHEMAS = `${ROOT}/tests/api/open311/schemas`;
const schema = (name) => JSON.parse(readFileSync(`${SCHEMAS}/${name}`, 'utf8'));
const ajv = new (Ajv.default ?? Ajv)({ strict: false, allErrors: true });
(addFormats.default ?? addFormats)(ajv);
for (const name of ['request.json', 'service.json']) ajv.addSchema(schema(name), name);
const validators = {
  services: ajv.compile(schema('services.json')),
  definition: ajv.compile(schema('service-definition.json')),
  requests: ajv.compile(schema('requests.json')),
  discovery: ajv.compile(schema('huiyin/discovery.json')),
  errors: ajv.compile(schema('huiyin/errors.json')),
  created: ajv.compile(schema('huiyin/post-response.json')),
  token: ajv.compile(schema('huiyin/token-response.json')),
};
const xmlParser = new XMLParser({ parseTagValue: false, trimValues: false,
  isArray: (name) => ['service', 'request', 'error', 'attribute', 'value', 'endpoint', 'format'].includes(name) });

const JURISDICTION = 'tonghua.gov.cn';
const W3C = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/;

let srv;
let apiKey;
let staffKey;
const users = {};
let orgs;

function assertValid(kind, body) {
  const ok = validators[kind](body);
  assert.ok(ok, `${kind} schema: ${JSON.stringify(validators[kind].errors)}\n${JSON.stringify(body).slice(0, 800)}`);
}

// GET or POST an Open311 resource; `form` is sent application/x-www-form-urlencoded.
async function o311(method, path, { form, headers = {} } = {}) {
  const h = { ...headers };
  let body;
  if (form !== undefined) {
    body = form instanceof URLSearchParams ? form.toString() : form;
    h['content-type'] ??= 'application/x-www-form-urlencoded; charset=utf-8';
  }
  const res = await fetch(`${srv.base}/open311/v2/${path}`, { method, headers: h, body });
  const text = await res.text();
  const type = res.headers.get('content-type') || '';
  let json = null;
  let xml = null;
  if (type.startsWith('application/json')) json = JSON.parse(text);
  if (type.startsWith('text/xml')) {
    const valid = XMLValidator.validate(text);
    assert.equal(valid, true, `XML not well-formed: ${JSON.stringify(valid)}\n${text.slice(0, 500)}`);
    assert.ok(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>'), text.slice(0, 80));
    xml = xmlParser.parse(text);
  }
  return { status: res.status, type, text, json, xml, headers: res.headers };
}

// Both formats of one GET: the JSON (schema-checked) and the XML (well-formed), same status.
async function both(path, kind, expected = 200) {
  const sep = path.includes('?') ? path.indexOf('?') : path.length;
  const json = await o311('GET', `${path.slice(0, sep)}.json${path.slice(sep)}`);
  const xml = await o311('GET', `${path.slice(0, sep)}.xml${path.slice(sep)}`);
  assert.equal(json.status, expected, json.text);
  assert.equal(xml.status, expected, xml.text);
  assert.equal(json.type, 'application/json; charset=utf-8');
  assert.equal(xml.type, 'text/xml; charset=utf-8');
  assertValid(expected === 200 ? kind : 'errors', json.json);
  return { json: json.json, xml: xml.xml, xmlText: xml.text };
}

// One raw HTTP/1.1 request with exactly the given headers (no Accept, no User-Agent).
function raw(method, target, { body = '', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = rawRequest({ host: '127.0.0.1', port: srv.port, method, path: target,
      headers: { host: `127.0.0.1:${srv.port}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const orgId = (name) => orgs.find((o) => o.name === name).id;

function form(fields) {
  const p = new URLSearchParams();
  for (const [k, v] of fields) p.append(k, v);
  return p;
}

let seq = 0;
// A valid pothole report (o311.pothole) with the integration's key.
function pothole(extra = [], { key = apiKey } = {}) {
  seq += 1;
  return form([
    ['api_key', key], ['jurisdiction_id', JURISDICTION], ['service_code', 'o311.pothole'],
    ['lat', '41.7283'], ['long', '125.9397'], ['address_string', '东昌区新华大街与龙泉路交口'],
    ['description', `路面有一个深坑，已有车辆爆胎 #${process.pid}-${seq}`],
    ['attribute[road_name]', '新华大街'], ['attribute[damage]', 'pothole'],
    ...extra,
  ]);
}

async function step(who, c, name, fields = {}) {
  const r = await users[who].post(`/api/v1/cases/${c.number}/transitions/${name}`, { version: c.version, ...fields });
  assert.equal(r.status, 200, `${who} ${name}: ${r.text}`);
  return r.json;
}

before(async () => {
  srv = await startServer();
  for (const u of ['sysadmin1', 'secadmin1', 'dispatcher1', 'zjhandler1', 'zjhead1', 'agent1']) {
    users[u] = new Client(srv.base);
    const r = await users[u].login(u, DEMO_PASSWORD);
    assert.equal(r.status, 200, `${u}: ${r.text}`);
  }
  orgs = (await users.sysadmin1.get('/api/v1/orgs')).json.items;
  const root = orgs.find((o) => o.parent_id === null);
  // The partner app: an integration account with an API token (its Open311 api_key).
  let r = await users.sysadmin1.post('/api/v1/users', {
    username: 'app-tonghua', display_name: '通化掌上12345', kind: 'integration', org_id: root.id,
    password: 'Integration-Pass-2026!', roles: [{ role: 'hotline_agent' }],
  });
  assert.equal(r.status, 201, r.text);
  r = await users.secadmin1.post('/api/v1/users/app-tonghua/tokens', { name: 'open311' });
  assert.equal(r.status, 201, r.text);
  apiKey = r.json.token;
  r = await users.secadmin1.post('/api/v1/users/agent1/tokens', { name: 'not-an-integration' });
  assert.equal(r.status, 201, r.text);
  staffKey = r.json.token;
  // Test categories with every attribute datatype.
  r = await users.sysadmin1.post('/api/v1/categories', {
    code: 'o311', name: '市容环境', description: '道路、噪声等市容环境问题', order: 90,
  });
  assert.equal(r.status, 201, r.text);
  r = await users.sysadmin1.post('/api/v1/categories', {
    code: 'o311.pothole', name: '道路坑洼', description: '车行道或人行道坑洼、塌陷 & "井盖"',
    keywords: ['坑洼', '塌陷'],
    attributes: [
      { code: 'road_name', datatype: 'string', required: true, description: '道路名称' },
      { code: 'damage', datatype: 'singlevaluelist', required: true, description: '破损类型',
        values: [{ key: 'pothole', name: '坑洼' }, { key: 'collapse', name: '塌陷' }, { key: '3', name: '井盖 <缺失>' }] },
      { code: 'hazards', datatype: 'multivaluelist', description: '已造成的影响',
        values: [{ key: 'traffic', name: '影响通行' }, { key: 'injury', name: '有人受伤' }, { key: 'vehicle', name: '车辆受损' }] },
      { code: 'depth_cm', datatype: 'number', description: '深度(厘米)' },
      { code: 'seen_at', datatype: 'datetime', description: '发现时间' },
      { code: 'details', datatype: 'text', description: '补充说明' },
    ],
  });
  assert.equal(r.status, 201, r.text);
  r = await users.sysadmin1.post('/api/v1/categories', {
    code: 'o311.noise', name: '夜间施工噪声', description: '夜间22时至次日6时施工噪声',
  });
  assert.equal(r.status, 201, r.text);
});
after(async () => { await srv?.stop(); });

describe('discovery and services', () => {
  test('discovery in both formats names the endpoint, its formats and a changeset', async () => {
    const { json, xml } = await both('discovery', 'discovery');
    assertValid('discovery', json);
    assert.match(json.changeset, W3C);
    const ep = json.endpoints[0];
    assert.equal(ep.url, `http://127.0.0.1:${srv.port}/open311/v2`);
    assert.deepEqual(ep.formats, ['text/xml', 'application/json']);
    assert.equal(xml.discovery.endpoints.endpoint[0].formats.format.length, 2);
    assert.equal(xml.discovery.key_service, json.key_service);
  });

  test('services are the public leaf categories, with metadata, keywords and group', async () => {
    const { json, xml } = await both('services', 'services');
    const pot = json.find((s) => s.service_code === 'o311.pothole');
    assert.deepEqual(pot, {
      service_code: 'o311.pothole', service_name: '道路坑洼', description: '车行道或人行道坑洼、塌陷 & "井盖"',
      metadata: true, type: 'realtime', keywords: '坑洼, 塌陷', group: '市容环境',
    });
    assert.equal(json.find((s) => s.service_code === 'o311.noise').metadata, false);
    assert.ok(!json.some((s) => s.service_code === 'o311'), 'a parent is a group, not a service');
    const xpot = xml.services.service.find((s) => s.service_code === 'o311.pothole');
    assert.equal(xpot.description, '车行道或人行道坑洼、塌陷 & "井盖"');  // escaped and read back
    assert.equal(xpot.metadata, 'true');
    assert.equal(xml.services.service.length, json.length);
  });

  test('a service definition lists the attributes of every datatype, in order', async () => {
    const { json, xml } = await both('services/o311.pothole', 'definition');
    assert.equal(json.service_code, 'o311.pothole');
    assert.deepEqual(json.attributes.map((a) => [a.code, a.datatype, a.required, a.order]), [
      ['road_name', 'string', true, 1], ['damage', 'singlevaluelist', true, 2],
      ['hazards', 'multivaluelist', false, 3], ['depth_cm', 'number', false, 4],
      ['seen_at', 'datetime', false, 5], ['details', 'text', false, 6]]);
    assert.deepEqual(json.attributes[1].values[2], { key: '3', name: '井盖 <缺失>' });
    assert.equal(json.attributes[0].variable, true);
    const attrs = xml.service_definition.attributes.attribute;
    assert.equal(attrs.length, 6);
    assert.equal(attrs[1].values.value[2].name, '井盖 <缺失>');
    const noise = await both('services/o311.noise', 'definition');
    assert.deepEqual(noise.json.attributes, []);
  });

  test('unknown service codes and resources are 404 in the Open311 error shape', async () => {
    const { json, xml } = await both('services/nope.nothing', 'errors', 404);
    assert.equal(json[0].code, 404);
    assert.match(json[0].description, /service_code 'nope.nothing' was not found/);
    assert.equal(xml.errors.error[0].code, '404');
    let r = await o311('GET', 'servicez.json');
    assert.equal(r.status, 404);
    assertValid('errors', r.json);
    r = await o311('GET', 'services');  // no format suffix: XML, the mandatory format
    assert.equal(r.status, 404);
    assert.equal(r.xml.errors.error[0].code, '404');
    r = await o311('GET', 'widgets/1.json');
    assert.equal(r.status, 404);
    assertValid('errors', r.json);
  });

  test('the service definition follows the catalogue when it is edited', async () => {
    const before1 = (await o311('GET', 'discovery.json')).json.changeset;
    const cat = (await users.sysadmin1.get('/api/v1/categories/o311.noise')).json;
    await new Promise((r) => setTimeout(r, 1100));  // the changeset has one-second precision
    const r = await users.sysadmin1.put('/api/v1/categories/o311.noise', {
      version: cat.version, name: cat.name, description: cat.description,
      attributes: [{ code: 'site', datatype: 'string', required: false, description: '工地名称' }],
    });
    assert.equal(r.status, 200, r.text);
    const def = await both('services/o311.noise', 'definition');
    assert.deepEqual(def.json.attributes.map((a) => a.code), ['site']);
    const services = (await o311('GET', 'services.json')).json;
    assert.equal(services.find((s) => s.service_code === 'o311.noise').metadata, true);
    const after1 = (await o311('GET', 'discovery.json')).json.changeset;
    assert.ok(after1 > before1, `${after1} > ${before1}`);
  });

  test('jurisdiction_id: the city\'s is accepted, any other is 404, a numeric one too', async () => {
    await both(`services?jurisdiction_id=${JURISDICTION}`, 'services');
    const { json } = await both('services?jurisdiction_id=sfgov.org', 'errors', 404);
    assert.match(json[0].description, /jurisdiction_id 'sfgov.org' was not found/);
    await both('requests?jurisdiction_id=12345', 'errors', 404);
    await both('services?jurisdiction_id=', 'services');  // empty = not given
  });
});

describe('POST requests', () => {
  test('a report is filed as an appeal case through the integration, in JSON and XML', async () => {
    let r = await o311('POST', 'requests.json', { form: pothole([['attribute[hazards]', 'traffic']]) });
    assert.equal(r.status, 200, r.text);
    assertValid('created', r.json);
    const id = r.json[0].service_request_id;
    assert.match(id, /^SQ\d{14}$/);
    assert.match(r.json[0].service_notice, /已受理/);
    assert.equal(r.json[0].account_id, null);
    const c = (await users.dispatcher1.get(`/api/v1/cases/${id}`)).json;
    assert.equal(c.kind, 'appeal');
    assert.equal(c.channel, 'app-tonghua');
    assert.equal(c.category, 'o311.pothole');
    assert.equal(c.lat, 41.7283);
    assert.equal(c.address, '东昌区新华大街与龙泉路交口');
    assert.deepEqual(c.attributes.hazards, ['traffic']);
    assert.equal(c.attributes.damage, 'pothole');

    r = await o311('POST', 'requests.xml', { form: pothole() });
    assert.equal(r.status, 200, r.text);
    assert.match(r.xml.service_requests.request[0].service_request_id, /^SQ\d{14}$/);
  });

  test('a retry of the same submission returns the first case, never a duplicate', async () => {
    const body = pothole();
    const first = await o311('POST', 'requests.json', { form: body });
    const again = await o311('POST', 'requests.json', { form: body });
    assert.equal(first.status, 200, first.text);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json[0].service_request_id, first.json[0].service_request_id);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
  });

  test('batch intake: a client token resolves to the service request through tokens/{token}', async () => {
    const token = `kiosk-7-batch-${process.pid}`;
    const r = await o311('POST', 'requests.json', { form: pothole(), headers: { 'idempotency-key': token } });
    assert.equal(r.status, 200, r.text);
    const { json, xml } = await both(`tokens/${token}`, 'token');
    assert.deepEqual(json, [{ service_request_id: r.json[0].service_request_id, token }]);
    assert.equal(xml.service_requests.request[0].token, token);
    const other = await o311('POST', 'requests.json', { form: pothole(), headers: { 'idempotency-key': token } });
    assert.equal(other.status, 400, 'the same token for a different report is refused');
    assertValid('errors', other.json);
    await both('tokens/never-issued', 'errors', 404);
  });

  test('api_key: missing, unknown and non-integration keys are 403 in both formats', async () => {
    const cases = [
      [pothole([], { key: '' }), /api_key is required/],
      [pothole([], { key: 'hy_not-a-real-key' }), /invalid api_key/],
      [pothole([], { key: staffKey }), /integration/],
    ];
    for (const [body, pattern] of cases) {
      const j = await o311('POST', 'requests.json', { form: body });
      assert.equal(j.status, 403, j.text);
      assertValid('errors', j.json);
      assert.equal(j.json[0].code, 403);
      assert.match(j.json[0].description, pattern);
      const x = await o311('POST', 'requests.xml', { form: body });
      assert.equal(x.status, 403);
      assert.equal(x.xml.errors.error[0].code, '403');
    }
  });

  test('every invalid submission is a 400 naming what is wrong', async () => {
    const drop = (name) => { const f = pothole(); f.delete(name); return f; };
    const set = (name, value) => { const f = pothole(); f.set(name, value); return f; };
    const bad = [
      [drop('service_code'), /service_code was not provided/],
      [(() => { const f = drop('lat'); f.delete('long'); f.delete('address_string'); return f; })(),
        /a location is required/],
      [drop('long'), /lat and long must be sent together/],
      [set('lat', 'north'), /lat 'north'/],
      [set('long', '200'), /long '200'/],
      [drop('attribute[road_name]'), /attribute\[road_name\] is required/],
      [set('attribute[damage]', 'meteor'), /attribute\[damage\]/],
      [pothole([['attribute[damage]', 'collapse']]), /attribute\[damage\] takes one value/],
      [pothole([['attribute[depth_cm]', 'deep']]), /attribute\[depth_cm\]/],
      [pothole([['attribute[seen_at]', 'yesterday']]), /attribute\[seen_at\]/],
      [pothole([['attribute[unknown_q]', 'x']]), /attribute\[unknown_q\]/],
      [pothole([['attribute[hazards][]', 'meteor']]), /attribute\[hazards\]/],
      [set('description', 'x'.repeat(4001)), /description must be at most 4,000 characters/],
      [set('description', '<script>alert(1)</script>'), /description must be plain text/],
      [set('description', '<b>坑</b>'), /description must be plain text/],
      [set('media_url', 'javascript:alert(1)'), /media_url/],
      [set('phone', '12345'), /phone must be a mainland mobile number/],
    ];
    for (const [body, pattern] of bad) {
      const r = await o311('POST', 'requests.json', { form: body });
      assert.equal(r.status, 400, `${pattern}: ${r.text}`);
      assertValid('errors', r.json);
      assert.ok(r.json.some((e) => pattern.test(e.description)), `${pattern}: ${r.text}`);
    }
    // Several problems at once are listed together.
    const many = pothole([['attribute[damage]', 'collapse']]);
    many.delete('attribute[road_name]');
    const r = await o311('POST', 'requests.json', { form: many });
    assert.equal(r.status, 400);
    assert.ok(r.json.length >= 2, r.text);
    // Unknown service code and jurisdiction are 404; a JSON body is not a form.
    const unknown = await o311('POST', 'requests.json', { form: set('service_code', 'no.such') });
    assert.equal(unknown.status, 404);
    const elsewhere = await o311('POST', 'requests.json', { form: set('jurisdiction_id', 'sfgov.org') });
    assert.equal(elsewhere.status, 404);
    const jsonBody = await o311('POST', 'requests.json', { form: '{"service_code":"o311.pothole"}', headers: { 'content-type': 'application/json' } });
    assert.equal(jsonBody.status, 400);
    const badEscape = await o311('POST', 'requests.xml', { form: 'api_key=%zz' });
    assert.equal(badEscape.status, 400);
    assert.equal(badEscape.xml.errors.error[0].code, '400');
    const notPost = await o311('POST', 'services.json', { form: pothole() });
    assert.equal(notPost.status, 404);
  });

  test('multi-value lists: repeated attribute[CODE]= and attribute[CODE][]= both work', async () => {
    for (const name of ['attribute[hazards]', 'attribute[hazards][]']) {
      const r = await o311('POST', 'requests.json', { form: pothole([[name, 'traffic'], [name, 'vehicle']]) });
      assert.equal(r.status, 200, r.text);
      const c = (await users.dispatcher1.get(`/api/v1/cases/${r.json[0].service_request_id}`)).json;
      assert.deepEqual(c.attributes.hazards, ['traffic', 'vehicle']);
    }
    // Numbers where strings are expected (a numeric list key, a numeric answer), address_id only.
    const f = pothole([['attribute[depth_cm]', '12.5'], ['address_id', '220502-0042']]);
    f.set('attribute[damage]', '3');
    f.delete('lat');
    f.delete('long');
    f.delete('address_string');
    const r = await o311('POST', 'requests.json', { form: f });
    assert.equal(r.status, 200, r.text);
    const shown = await both(`requests/${r.json[0].service_request_id}`, 'requests');
    assert.equal(shown.json[0].address_id, '220502-0042');
    assert.equal(shown.json[0].lat, null);
  });

  test('client quirks: jurisdiction_id and api_key in the query string of a POST, no Accept or User-Agent', async () => {
    const f = pothole();
    f.delete('jurisdiction_id');
    f.delete('api_key');
    const q = new URLSearchParams({ jurisdiction_id: JURISDICTION, api_key: apiKey });
    const r = await raw('POST', `/open311/v2/requests.json?${q}`, {
      body: f.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assertValid('created', JSON.parse(r.text));
    // A bare trailing '?' and no Accept or User-Agent header on a GET.
    const g = await raw('GET', '/open311/v2/services.xml?');
    assert.equal(g.status, 200, g.text);
    assert.equal(XMLValidator.validate(g.text), true);
    const d = await raw('GET', '/open311/v2/discovery.json?');
    assert.equal(d.status, 200);
    assertValid('discovery', JSON.parse(d.text));
    // Without a Content-Type the body is still read as a form.
    const plain = await raw('POST', '/open311/v2/requests.json', { body: pothole().toString() });
    assert.equal(plain.status, 200, plain.text);
  });
});

describe('GET requests', () => {
  let filed;
  before(async () => {
    const r = await o311('POST', 'requests.json', {
      form: pothole([['first_name', '三'], ['last_name', '张'], ['phone', '13900002222'],
        ['email', 'zhang.san@example.cn'], ['device_id', 'dev-42'], ['account_id', '9001'],
        ['media_url', 'https://img.example.cn/p/1.jpg']]),
    });
    assert.equal(r.status, 200, r.text);
    filed = r.json[0].service_request_id;
  });

  test('one request by id in both formats, mapped from the case', async () => {
    const { json, xml } = await both(`requests/${filed}`, 'requests');
    const v = json[0];
    assert.equal(v.service_request_id, filed);
    assert.equal(v.status, 'open');
    assert.equal(v.service_code, 'o311.pothole');
    assert.equal(v.service_name, '道路坑洼');
    assert.equal(v.status_notes, '已受理 Received');
    assert.equal(v.agency_responsible, null);  // not yet dispatched
    assert.match(v.requested_datetime, W3C);
    assert.match(v.updated_datetime, W3C);
    assert.equal(v.expected_datetime, null);  // the handling clock starts at dispatch
    assert.equal(v.lat, 41.7283);
    assert.equal(v.long, 125.9397);
    assert.equal(v.media_url, 'https://img.example.cn/p/1.jpg');
    assert.equal(xml.service_requests.request[0].service_request_id, filed);
    assert.equal(xml.service_requests.request[0].status, 'open');
    await both('requests/SQ20000101000001', 'errors', 404);
    await both('requests/12345', 'errors', 404);  // a numeric id is just an unknown id
  });

  test('personal data never appears in any Open311 output', async () => {
    const c = (await users.agent1.get(`/api/v1/cases/${filed}`)).json;
    assert.equal(c.requester.name, '张三');  // kept for the hotline's call-back
    assert.equal(c.requester.phone, '13900002222');
    const r = await o311('POST', 'requests.json', {
      form: pothole([['first_name', 'John'], ['last_name', 'Smith'], ['phone', '+86 139 0000 3333']]),
    });
    const withPhoneInText = await o311('POST', 'requests.json', {
      form: (() => { const f = pothole(); f.set('description', `请回电13900004444或发邮件li.si@example.cn ${seq}`); return f; })(),
    });
    const outputs = [];
    for (const path of [`requests/${filed}`, `requests/${r.json[0].service_request_id}`,
      `requests/${withPhoneInText.json[0].service_request_id}`, 'requests']) {
      outputs.push((await o311('GET', `${path}.json`)).text, (await o311('GET', `${path}.xml`)).text);
    }
    const all = outputs.join('\n');
    for (const secret of ['张三', '13900002222', 'zhang.san', 'dev-42', '9001', 'John', 'Smith',
      '13900003333', '13900004444', 'li.si@', apiKey]) {
      assert.ok(!all.includes(secret), `${secret} leaked`);
    }
    assert.ok(all.includes('请回电139****4444'), 'numbers in the text are masked, not dropped');
  });

  test('lists: default window, filters, span limit, paging and status', async () => {
    const { json } = await both('requests', 'requests');
    assert.ok(json.length >= 5);
    assert.ok(json.some((x) => x.service_request_id === filed));
    const times = json.map((x) => x.requested_datetime);
    assert.deepEqual([...times].sort().reverse(), times, 'newest first');
    const byCode = await both('requests?service_code=o311.pothole,o311.noise', 'requests');
    assert.ok(byCode.json.every((x) => x.service_code === 'o311.pothole'));
    const none = await both('requests?service_code=o311.noise', 'requests');
    assert.deepEqual(none.json, []);
    assert.equal(none.xmlText.trim().endsWith('<service_requests/>'), true);
    const open = await both('requests?status=open', 'requests');
    assert.ok(open.json.every((x) => x.status === 'open'));
    const closed = await both('requests?status=closed', 'requests');
    assert.ok(closed.json.every((x) => x.status === 'closed'));
    const anyStatus = await both('requests?status=open,closed', 'requests');
    assert.equal(anyStatus.json.length, json.length);
    // Paging extension.
    const p1 = (await both('requests?page_size=2&page=1', 'requests')).json;
    const p2 = (await both('requests?page_size=2&page=2', 'requests')).json;
    assert.equal(p1.length, 2);
    assert.deepEqual([...p1, ...p2].map((x) => x.service_request_id), json.slice(0, 4).map((x) => x.service_request_id));
    // Dates: a window around now, the '+' of the offset unencoded (it decodes to a space).
    const now = Date.now();
    const iso = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 19) + '+08:00';
    const win = await both(`requests?start_date=${iso(now - 3600e3)}&end_date=${iso(now + 3600e3)}`, 'requests');
    assert.equal(win.json.length, json.length);
    const past = await both('requests?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z', 'requests');
    assert.deepEqual(past.json, []);
    const updated = await both(`requests?updated_after=${encodeURIComponent(iso(now + 3600e3))}`, 'requests');
    assert.deepEqual(updated.json, []);
    // Errors: span over 90 days, reversed span, bad date, bad status, bad page size.
    for (const [q, pattern] of [
      ['start_date=2026-01-01T00:00:00Z&end_date=2026-04-02T00:00:00Z', /90 days/],
      ['start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z', /before start_date/],
      ['start_date=yesterday', /start_date 'yesterday'/],
      ['status=pending', /status 'pending'/],
      ['page_size=5000', /page_size/],
      ['page=zero', /page 'zero'/],
    ]) {
      const { json: errs } = await both(`requests?${q}`, 'errors', 400);
      assert.ok(errs.some((e) => pattern.test(e.description)), `${q}: ${JSON.stringify(errs)}`);
    }
    // service_request_id (comma list) overrides every other argument, bad ones included.
    const ids = json.slice(0, 2).map((x) => x.service_request_id);
    const picked = await both(`requests?service_request_id=${ids.join(',')}&status=pending&start_date=2020-01-01`, 'requests');
    assert.deepEqual(picked.json.map((x) => x.service_request_id).sort(), [...ids].sort());
    const numeric = await both('requests?service_request_id=12345', 'requests');
    assert.deepEqual(numeric.json, []);
  });

  test('dispatched, replied to and closed by staff: Open311 shows it closed with the reply', async () => {
    const id = (await o311('POST', 'requests.json', { form: pothole() })).json[0].service_request_id;
    let c = (await users.dispatcher1.get(`/api/v1/cases/${id}`)).json;
    c = await step('dispatcher1', c, 'dispatch', { lead_org_id: orgId('住房和城乡建设局') });
    let v = (await both(`requests/${id}`, 'requests')).json[0];
    assert.equal(v.status, 'open');
    assert.equal(v.agency_responsible, '住房和城乡建设局');
    assert.equal(v.status_notes, '已派单 Dispatched');
    const handle = c.clocks.find((k) => k.name === 'handle');
    assert.equal(v.expected_datetime, handle.deadline);
    c = await step('zjhandler1', c, 'sign_for');
    c = await step('zjhandler1', c, 'add_note', { note: '内部备注：联系了施工方王经理 13900005555' });
    c = await step('zjhandler1', c, 'submit_reply', { reply: '已修补坑洼，感谢反映 & 监督。' });
    v = (await both(`requests/${id}`, 'requests')).json[0];
    assert.equal(v.status_notes, '答复审核 Reply awaiting approval', 'an unapproved reply is not public');
    c = await step('zjhead1', c, 'approve_reply');
    c = await step('agent1', c, 'call_back', { resolved: true, satisfaction: 5 });
    assert.equal(c.state, 'closed');
    const { json, xml, xmlText } = await both(`requests/${id}`, 'requests');
    assert.equal(json[0].status, 'closed');
    assert.equal(json[0].status_notes, '已修补坑洼，感谢反映 & 监督。');
    assert.equal(json[0].updated_datetime, c.closed_at);
    assert.equal(xml.service_requests.request[0].status, 'closed');
    assert.equal(xml.service_requests.request[0].status_notes, '已修补坑洼，感谢反映 & 监督。');
    assert.ok(xmlText.includes('感谢反映 &amp; 监督'));
    assert.ok(!xmlText.includes('王经理') && !JSON.stringify(json).includes('王经理'), 'internal notes stay internal');
    const closedList = (await both('requests?status=closed', 'requests')).json;
    assert.ok(closedList.some((x) => x.service_request_id === id));
    assert.ok(!(await both('requests?status=open', 'requests')).json.some((x) => x.service_request_id === id));
  });

  test('hotline cases with a confidential requester (reports of wrongdoing) are not listed', async () => {
    const r = await users.agent1.post('/api/v1/cases', {
      type: 'report', channel: 'phone', title: '举报违规排污', content: '某厂夜间偷排污水',
      requester: { name: '王五', phone: '13900006666' },
    }, { headers: { 'idempotency-key': `o311-report-${process.pid}` } });
    assert.equal(r.status, 201, r.text);
    const number = r.json.case.number;
    await both(`requests/${number}`, 'errors', 404);
    const list = (await o311('GET', 'requests.json')).json;
    assert.ok(!list.some((x) => x.service_request_id === number));
    // An ordinary phone case is listed, with its text but not its caller.
    const p = await users.agent1.post('/api/v1/cases', {
      type: 'help', channel: 'phone', title: '路灯不亮', content: '幸福小区门口路灯不亮',
      requester: { name: '赵六', phone: '13900007777' },
    }, { headers: { 'idempotency-key': `o311-phone-${process.pid}` } });
    const shown = (await both(`requests/${p.json.case.number}`, 'requests')).json[0];
    assert.equal(shown.description, '幸福小区门口路灯不亮');
    assert.equal(shown.service_code, '');
    assert.ok(!JSON.stringify(shown).includes('赵六'));
  });
});

describe('the error shape everywhere under /open311/v2', () => {
  test('other methods and deeper paths answer with Open311 errors, not problem+json', async () => {
    let r = await o311('PUT', 'requests.json', { form: 'x=1' });
    assert.equal(r.status, 400);
    assertValid('errors', r.json);
    r = await o311('DELETE', 'services/o311.pothole.xml');
    assert.equal(r.status, 400);
    assert.equal(r.xml.errors.error[0].code, '400');
    r = await o311('GET', 'requests/a/b.json');
    assert.equal(r.status, 404);
    assertValid('errors', r.json);
    r = await o311('POST', 'requests/SQ1.json', { form: 'x=1' });
    assert.equal(r.status, 404);
    assertValid('errors', r.json);
    r = await o311('GET', '');
    assert.equal(r.status, 404);
    assert.equal(r.xml.errors.error[0].code, '404');
  });
});
