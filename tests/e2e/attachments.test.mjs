// Materials, ratings and what follows them (issue 7) in the browser, against the real binary with
// the demo city: a citizen applies online for a building permit and uploads the application form
// on the tracking page, where the materials checklist shows what is still missing; the window
// clerk sees the file, downloads it and refuses the application, naming the competent body; the
// citizen gives it a 差评 with a reason and follows the rectification case it opened; the housing
// bureau feeds the result back and the citizen reads it under 我的证照与消息. Then a licence: the
// head extends the decision within what the clock allows and grants it; when it comes due the
// holder applies for its renewal from the same page.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { api, appAndBrowser, field, need, signIn, withPage } from './lib.mjs';

const PERMIT_CODE = '000111001000-220500000000-11220500032412309B-01'; // 建筑工程施工许可证核发, 住房和城乡建设局
const FORM = '建筑工程施工许可证申请表'; // the first of its seven required materials
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const FILE_NAME = '施工许可申请表.pdf';
const DAY = 86400000;

describe('attachments, ratings, notifications and licences', () => {
  const env = appAndBrowser();
  let number = ''; // the citizen's application
  let rectification = ''; // the ZG case its 差评 opened


  async function openStep(page, action) {
    await page.locator(`[data-action=${action}]`).click();
    const dialog = page.locator('.el-dialog:visible');
    await dialog.waitFor();
    return dialog;
  }

  async function step(page, action, fill = async () => {}) {
    const dialog = await openStep(page, action);
    await fill(dialog);
    await dialog.locator('[data-test=transition-submit]').click();
    await dialog.waitFor({ state: 'hidden' });
  }

  const state = (page, s) => page.locator(`[data-test=case-state][data-state=${s}]`).waitFor();
  const material = (page, name) => page.locator(`[data-test=checklist] li[data-material="${name}"]`);

  test('a citizen applies online and uploads the application form; the checklist shows what is still missing', async (t) => {
    await withPage(env.browser, env.app.base, t, {}, async (p) => {
      await signIn(p.page, 'citizen1', { staff: false });
      await p.page.goto(`/services/${PERMIT_CODE}`);
      await p.page.click('[data-test=apply]');
      await p.page.locator(field('apply-content')).fill('东昌区幸福家园 5 号楼新建工程,申请施工许可。');
      await p.page.click('[data-test=apply-submit]');
      number = (await p.page.locator('[data-test=case-number]').innerText()).trim();
      assert.match(number, /^BJ\d{14}$/);
      await p.page.click('[data-test=track-it]');
      await p.page.locator('[data-test=track-result]').waitFor();

      const missing = p.page.locator('[data-test=missing-count]');
      await missing.waitFor();
      assert.equal(await missing.getAttribute('data-missing'), '7', 'seven required materials, none uploaded');
      assert.match(await material(p.page, FORM).getAttribute('class'), /lacking/);
      await p.page.locator('[data-test=upload-material]').click();
      await p.page.locator('.el-select-dropdown__item:visible', { hasText: FORM }).click();
      await p.page.locator('[data-test=upload] input[type=file]').setInputFiles({ name: FILE_NAME, mimeType: 'application/pdf', buffer: PDF });

      await p.page.locator(`[data-test=checklist] li[data-material="${FORM}"][data-uploaded="1"]`).waitFor();
      assert.doesNotMatch(await material(p.page, FORM).getAttribute('class'), /lacking/);
      assert.equal(await missing.getAttribute('data-missing'), '6');
      const file = p.page.locator(`[data-test=files] li[data-material="${FORM}"]`);
      assert.equal((await file.locator('[data-test=download]').innerText()).trim(), FILE_NAME);
      assert.match(await file.innerText(), /PDF/);
      // The upload is a step of the case: it shows in the timeline the page read again.
      await p.page.getByText('上传附件').first().waitFor();
    });
  });

  test('the window clerk sees the file, downloads it and refuses, naming the competent body', async (t) => {
    if (!need(t, number, 'application')) return;
    await withPage(env.browser, env.app.base, t, {}, async (p) => {
      await signIn(p.page, 'clerk1');
      await p.page.goto(`/workbench/cases/${number}`);
      await state(p.page, 'submitted');
      await p.page.locator(`[data-test=checklist] li[data-material="${FORM}"][data-uploaded="1"]`).waitFor();
      const link = p.page.locator('[data-test=files] [data-test=download]', { hasText: FILE_NAME });
      const [download] = await Promise.all([p.page.waitForEvent('download'), link.click()]);
      assert.equal(download.suggestedFilename(), FILE_NAME);
      assert.deepEqual(await readFile(await download.path()), PDF, 'the same bytes come back');

      const dialog = await openStep(p.page, 'refuse');
      await dialog.getByText('应告知的有权机关').waitFor();
      await dialog.locator(field('field-reason')).fill('本项目位于梅河口市,不属于市住房和城乡建设局的审批权限。');
      await dialog.locator(field('field-channel')).fill('梅河口市住房和城乡建设局');
      await dialog.locator('[data-test=transition-submit]').click();
      await dialog.waitFor({ state: 'hidden' });
      await state(p.page, 'not_accepted');
      // Closed: nothing more can be attached, the files stay.
      await p.page.locator('[data-test=upload]').waitFor({ state: 'detached' });
      assert.equal(await p.page.locator('[data-test=files] li').count(), 1);
    });
  });

  test('the citizen gives the refusal a 差评 with a reason and follows the rectification it opened', async (t) => {
    if (!need(t, number, 'refusal')) return;
    await withPage(env.browser, env.app.base, t, {}, async (p) => {
      await signIn(p.page, 'citizen1', { staff: false });
      await p.page.goto(`/track?number=${number}`);
      const rate = p.page.locator('[data-test=rate]');
      await rate.waitFor();
      await rate.locator('[data-test=satisfaction] [data-value="2"]').click();
      await rate.locator('[data-test=rate-reason-group]').waitFor();
      await p.page.click('[data-test=rate-submit]');
      await rate.getByText('不满意时请选择或填写原因').waitFor();
      await rate.locator('[data-reason=trips]').click();
      await p.page.click('[data-test=rate-submit]');
      await p.page.locator('[data-test=rated]').waitFor();

      const child = p.page.locator('[data-test=related] [data-relation=child] a');
      rectification = (await child.innerText()).trim();
      assert.match(rectification, /^ZG\d{14}$/);
      await child.click();
      await p.page.waitForURL((u) => u.searchParams.get('number') === rectification);
      await p.page.locator('[data-test=track-state]', { hasText: '待回访核实' }).waitFor();
      assert.match(await p.page.locator('[data-test=track-result]').innerText(), /多次跑动/, 'the reasons reach the rated unit');
      assert.equal((await p.page.locator('[data-test=related] [data-relation=parent] a').innerText()).trim(), number);
    });
  });

  test('the bureau feeds the rectification back; the citizen reads it under 我的证照与消息', async (t) => {
    if (!need(t, rectification, 'rating')) return;
    const handler = await api(env.app.base, 'zjhandler1');
    let z = (await handler.get(`/cases/${rectification}`)).body;
    z = (await handler.post(`/cases/${rectification}/transitions/verify`, { version: z.version, note: '已电话回访,情况属实。' })).body;
    const fixed = await handler.post(`/cases/${rectification}/transitions/fix`, { version: z.version, reply: '已在办事指南中写明项目所在地的审批权限划分。' });
    assert.equal(fixed.status, 200, JSON.stringify(fixed.body));

    await withPage(env.browser, env.app.base, t, {}, async (p) => {
      await signIn(p.page, 'citizen1', { staff: false });
      await p.page.goto('/');
      await p.page.locator('[data-test=unread-badge]').waitFor();
      await p.page.click('[data-test=my-link]');
      await p.page.waitForURL((u) => u.pathname === '/me');
      const note = p.page.locator(`[data-test=notifications] li:has([data-link="${rectification}"])`);
      await note.waitFor();
      assert.equal(await note.getAttribute('data-read'), 'false');
      assert.match(await note.innerText(), /办事指南/);
      assert.equal(await p.page.locator('[data-test=notifications] li').first().getAttribute('data-read'), 'false', 'unread first');
      await note.locator('[data-test=mark-read]').click();
      await p.page.locator(`[data-test=notifications] li[data-id="${await note.getAttribute('data-id')}"][data-read=true]`).waitFor();
      await p.page.locator('[data-test=unread-badge]').waitFor({ state: 'detached' });
    });
  });

  test('the head extends within the clock\'s limit and grants a licence; when it comes due the holder applies for its renewal', async (t) => {
    // 建筑业企业资质 at the housing bureau, valid five years: new (-01) and renewal (-03), as the
    // approval office registers them.
    const NEW = '000111098000-220500000000-11220500032412309B-01';
    const RENEW = '000111098000-220500000000-11220500032412309B-03';
    const approver = await api(env.app.base, 'approver1');
    for (const [code, kind] of [[NEW, 'new'], [RENEW, 'renew']]) {
      const r = await approver.post('/services', {
        code, name: kind === 'renew' ? '建筑业企业资质（延续）' : '建筑业企业资质（新办）', name_en: 'Construction enterprise qualification',
        main_code: null, handling_kind: kind, item_type: 'licensing', legal_basis: '《建筑业企业资质管理规定》第十四条',
        org: 'tonghua.zjj', level: 'city', delegated_from: null, conditions: ['具有独立法人资格'],
        materials: [{ name: '申请表', form: 'original', copies: 1, required: true, condition: null, template: null }],
        steps: [{ name: '受理', working_days: 0, counts: true }, { name: '审查', working_days: 5, counts: true }],
        legal_limit_wd: 20, committed_limit_wd: 5, fees: [], place: '通化市政务服务中心二楼', hours: '工作日 8:30-17:00',
        visits: 0, online: true, phones: { consult: '0435-3200102', complaint: '0435-12345' }, faq: [],
        life_events: ['business'], validity_months: 60,
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal((await approver.post(`/services/${code}/publish`, { version: 1 })).status, 200);
    }
    const citizen = await api(env.app.base, 'citizen1');
    const filed = await citizen.post('/cases', {
      kind: 'application', type: 'new', channel: 'web', category: NEW, title: '建筑业企业资质（新办）', content: '申请建筑业企业资质。',
    }, { 'Idempotency-Key': crypto.randomUUID() });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    let c = filed.body.case;
    for (const [who, name, fields] of [['clerk1', 'accept', {}], ['zjhandler1', 'review', { note: '符合条件' }]]) {
      const r = await (await api(env.app.base, who)).post(`/cases/${c.number}/transitions/${name}`, { version: c.version, ...fields });
      assert.equal(r.status, 200, `${who} ${name}: ${JSON.stringify(r.body)}`);
      c = r.body;
    }

    await withPage(env.browser, env.app.base, t, {}, async (p) => {
      await signIn(p.page, 'zjhead1');
      await p.page.goto(`/workbench/cases/${c.number}`);
      await state(p.page, 'reviewing');
      let dialog = await openStep(p.page, 'extend');
      await dialog.locator('[data-test=days-left]', { hasText: '最多还可延长 10 个工作日' }).waitFor();
      const days = dialog.locator(field('field-days'));
      await days.fill('15');
      await days.blur();
      assert.equal(await days.inputValue(), '10', 'no more than the workflow\'s max_extension');
      await days.fill('4');
      await dialog.locator(field('field-reason')).fill('需现场核查,经负责人批准延长 4 个工作日。');
      await dialog.locator('[data-test=transition-submit]').click();
      await dialog.waitFor({ state: 'hidden' });
      await p.page.locator('[data-clock=decision]').getByText(/已延期 4/).waitFor();
      dialog = await openStep(p.page, 'extend');
      await dialog.locator('[data-test=days-left]', { hasText: '最多还可延长 6 个工作日' }).waitFor();
      await dialog.getByRole('button', { name: '取消' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await step(p.page, 'grant', (d) => d.locator(field('field-reply')).fill('经审查,符合法定条件,准予许可。'));
      await state(p.page, 'granted');
    });

    // The licence comes due: 45 days left (the reminder period is 60, a renewal is filed 30+ ahead).
    const licence = (await citizen.get('/licences')).body.items.find((l) => l.case_number === c.number);
    assert.ok(licence, 'the grant recorded a licence');
    const expires = Date.parse(new Date(Date.now() + 45 * DAY + 8 * 3600000).toISOString().slice(0, 10) + 'T23:59:59.999+08:00');
    env.app.sql(`UPDATE licences SET expires_at = ${expires} WHERE number = '${licence.number}'`);

    await withPage(env.browser, env.app.base, t, {}, async (p) => {
      await signIn(p.page, 'citizen1', { staff: false });
      await p.page.goto('/me');
      const card = p.page.locator(`[data-licence="${licence.number}"]`);
      await card.waitFor();
      assert.equal(await card.getAttribute('data-status'), 'renewal_due');
      assert.match(await card.innerText(), /待延续/);
      assert.match(await card.locator('[data-test=expires-on]').innerText(), /\d{4}-\d{2}-\d{2}.*还剩 45 天/);
      await card.locator('[data-test=renew]').click();
      await p.page.waitForURL((u) => u.pathname === `/services/${RENEW}` && u.searchParams.get('licence') === licence.number);
      assert.equal(await p.page.locator(field('apply-licence')).inputValue(), licence.number);
      await p.page.locator(field('apply-content')).fill('资质有效期即将届满,申请延续。');
      await p.page.click('[data-test=apply-submit]');
      const renewal = (await p.page.locator('[data-test=case-number]').innerText()).trim();
      assert.match(renewal, /^BJ\d{14}$/);
      await p.page.click('[data-test=track-it]');
      await p.page.locator('[data-test=track-result]').getByText('延续', { exact: true }).waitFor();
    });
  });
});
