// Receipts (受理回执 / 办件回执) and the one-time notice of missing materials (一次性告知) in the
// browser, against the real binary with the demo city: the window clerk takes an application in
// and prints its receipt (number, the time of the intake event, the item, the deadline of the
// running clock, the check code — only on the receipt made right after intake — and the track
// address), on paper without navigation and in black; the one-time notice opens with exactly the
// required materials that have no file yet, and one uploaded drops out of it; the clerk edits it
// and sends it. A hotline agent prints the receipt of a phone intake; a citizen prints the
// receipt of an online application right after filing and later from the track page.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, appAndBrowser, field, need, signIn, withPage } from './lib.mjs';

const PERMIT = '建筑工程施工许可证核发'; // 住房和城乡建设局, seven required materials
const PERMIT_CODE = '000111001000-220500000000-11220500032412309B-01';
const FORM = '建筑工程施工许可证申请表'; // the first of its required materials
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** "2026-11-27 09:30" as the app shows an ISO time of the server (its local time). */
function shown(iso) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  assert.ok(m, `an ISO time: ${iso}`);
  return `${m[1]} ${m[2]}`;
}
const text = async (page, test) => (await page.locator(`[data-test=${test}]`).innerText()).trim();
const intakeOf = (c) => c.timeline.find((e) => e.action === 'intake');
/** The requester as the API shows them to this user (a role that may not see them gets nothing). */
const requesterOf = (c) => {
  const r = c.requester;
  if (!r || c.anonymous || r.anonymous) return '匿名';
  return [r.name, r.phone].filter(Boolean).join(' · ') || (r.confidential ? '保密' : '(按权限不显示)');
};
const noticeOf = (materials) => materials.filter((m) => m.required && !m.uploaded).map((m, i) => `${i + 1}. ${m.name}`).join('\n');

describe('receipts and the one-time notice', () => {
  const env = appAndBrowser();
  let windowNumber = ''; // the application taken in at the window

  const state = (page, s) => page.locator(`[data-test=case-state][data-state=${s}]`).waitFor();

  async function openStep(page, action) {
    await page.locator(`[data-action=${action}]`).click();
    const dialog = page.locator('.el-dialog:visible');
    await dialog.waitFor();
    return dialog;
  }

  /** The notice field once the checklist was read into it. */
  async function noticeField(dialog) {
    await dialog.locator('[data-prefilling=false]').first().waitFor();
    return dialog.locator(field('field-reason'));
  }

  /** The receipt of `number` is on screen; checks what every receipt shows. */
  async function checkReceipt(page, base, number, c) {
    await page.waitForURL((u) => u.pathname === `/receipt/${number}`);
    await page.locator('[data-test=receipt]').waitFor();
    assert.equal(await text(page, 'receipt-number'), number);
    assert.equal(await text(page, 'receipt-title'), c.title);
    assert.equal(await text(page, 'receipt-received'), shown(intakeOf(c).at), 'the time of the intake event');
    assert.equal(await text(page, 'receipt-requester'), requesterOf(c), 'the requester as the API shows them');
    assert.equal(await text(page, 'receipt-track-url'), `${base}/track?number=${number}`);
    const running = c.clocks.filter((k) => !k.window && !k.stopped);
    assert.ok(running.length, 'a clock runs after intake');
    for (const k of running) {
      const line = page.locator(`[data-test=receipt-deadlines] [data-clock=${k.name}]`);
      assert.equal(await line.getAttribute('data-deadline'), k.deadline);
      assert.match(await line.innerText(), new RegExp(shown(k.deadline)));
    }
  }

  test('the window clerk takes an application in and prints its receipt with the check code, once', async (t) => {
    const clerk = await api(env.app.base, 'clerk1');
    await withPage(env.browser, env.app.base, t, {}, async (p) => {
      const { page } = p;
      await signIn(page, 'clerk1');
      await page.locator('[data-menu="/workbench/applications/intake"]').click();
      await page.locator('[data-test=item-picker]').click();
      await page.keyboard.type('施工许可');
      await page.locator('.el-select-dropdown__item:visible', { hasText: PERMIT }).first().click();
      await page.locator('[data-test=picked-item]').waitFor();
      await page.locator(field('requester-name')).fill('赵六');
      await page.locator(field('requester-phone')).fill('13900003333');
      await page.locator(field('content')).fill('通化市东昌区和平家园 2 号楼新建工程申请施工许可。');
      await page.click('[data-test=submit]');
      await page.waitForURL(/\/workbench\/cases\/BJ/);
      const number = await text(page, 'case-number');
      assert.match(number, /^BJ\d{14}$/);
      await state(page, 'submitted');
      const code = await text(page, 'intake-check-code');
      assert.ok(code.length >= 4, `a check code: ${code}`);

      const c = (await clerk.get(`/cases/${number}`)).body;
      const item = (await clerk.get(`/services/${PERMIT_CODE}`)).body;
      assert.equal(c.category, PERMIT_CODE);

      // The receipt made right after intake carries the check code.
      await page.click('[data-test=print-receipt]');
      await checkReceipt(page, env.app.base, number, c);
      assert.equal(await text(page, 'receipt-check-code'), code);
      assert.match(await text(page, 'receipt-kind'), /^办件 · /);
      assert.equal(await text(page, 'receipt-item-name'), PERMIT);
      assert.equal(await text(page, 'receipt-item-code'), PERMIT_CODE);
      assert.match(await text(page, 'receipt-unit'), new RegExp(item.org_name));
      const limits = await text(page, 'receipt-limits');
      assert.match(limits, new RegExp(`承诺办结时限 ${item.committed_limit_wd} 个工作日`));
      assert.match(limits, new RegExp(`法定办结时限 ${item.legal_limit_wd} 个工作日`));
      assert.ok(await page.locator('[data-test=receipt-deadlines] [data-clock=acceptance]').count(), 'the acceptance clock');
      assert.equal(await page.locator('[data-menu]').count(), 0, 'no navigation on the receipt');

      // On paper: no buttons, black text on white.
      await page.emulateMedia({ media: 'print' });
      assert.ok(await page.locator('[data-test=receipt-print]').isHidden(), 'the print button is not printed');
      assert.ok(await page.locator('[data-test=receipt-back]').isHidden());
      const ink = await page.locator('[data-test=receipt-number]').evaluate((el) => getComputedStyle(el).color);
      assert.equal(ink, 'rgb(0, 0, 0)');
      const width = await page.locator('[data-test=receipt]').evaluate((el) => el.getBoundingClientRect().width);
      await page.emulateMedia({ media: 'screen' });
      assert.ok(width > 0);
      const screenWidth = await page.locator('[data-test=receipt]').evaluate((el) => el.getBoundingClientRect().width);
      assert.ok(screenWidth <= 210 * 96 / 25.4 + 1, `A4 wide on screen: ${screenWidth}px`);

      // Back on the case page, then the intake page offers the last receipt (with its code).
      await page.click('[data-test=receipt-back]');
      await page.waitForURL((u) => u.pathname === `/workbench/cases/${number}`);
      await page.locator('[data-menu="/workbench/applications/intake"]').click();
      const last = page.locator(`[data-test=last-intake][data-number="${number}"]`);
      await last.waitFor();
      await last.locator('[data-test=print-receipt]').click();
      await checkReceipt(page, env.app.base, number, c);
      assert.equal(await text(page, 'receipt-check-code'), code);

      // Later, from the case page: the same receipt without the check code.
      await page.goto(`/workbench/cases/${number}`);
      await state(page, 'submitted');
      assert.equal(await page.locator('[data-test=intake-done]').count(), 0, 'no check code on a later visit');
      await page.click('[data-test=print-receipt]');
      await checkReceipt(page, env.app.base, number, c);
      assert.equal(await page.locator('[data-test=receipt-check-code]').count(), 0, 'the check code is shown once');
      windowNumber = number;
    });
  });

  test('the one-time notice lists exactly the required materials with no file; an uploaded one drops out', async (t) => {
    if (!need(t, windowNumber, 'window intake')) return;
    const clerk = await api(env.app.base, 'clerk1');
    await withPage(env.browser, env.app.base, t, {}, async (p) => {
      const { page } = p;
      await signIn(page, 'clerk1');
      await page.goto(`/workbench/cases/${windowNumber}`);
      await state(page, 'submitted');

      const before = (await clerk.get(`/cases/${windowNumber}/attachments`)).body.materials;
      const missingBefore = before.filter((m) => m.required && !m.uploaded).map((m) => m.name);
      assert.ok(missingBefore.length >= 2 && missingBefore.includes(FORM), `missing: ${missingBefore}`);
      let dialog = await openStep(page, 'notify_missing');
      let notice = await noticeField(dialog);
      assert.equal(await notice.inputValue(), noticeOf(before));
      assert.equal((await notice.inputValue()).split('\n').length, missingBefore.length);
      await dialog.getByRole('button', { name: '取消' }).click();
      await dialog.waitFor({ state: 'hidden' });

      // The applicant hands the application form in at the window.
      await page.locator('[data-test=upload-material]').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: FORM }).click();
      await page.locator('[data-test=upload] input[type=file]').setInputFiles({ name: '申请表.pdf', mimeType: 'application/pdf', buffer: PDF });
      await page.locator(`[data-test=checklist] li[data-material="${FORM}"][data-uploaded="1"]`).waitFor();

      const after = (await clerk.get(`/cases/${windowNumber}/attachments`)).body.materials;
      const expected = noticeOf(after);
      assert.equal(expected.split('\n').length, missingBefore.length - 1);
      dialog = await openStep(page, 'notify_missing');
      notice = await noticeField(dialog);
      const prefilled = await notice.inputValue();
      assert.equal(prefilled, expected);
      assert.ok(!prefilled.includes(FORM), 'the uploaded material is no longer listed');
      assert.match(prefilled, /^1\. /);

      // The clerk edits it before sending: what is sent is what the clerk left there.
      const sent = `${prefilled}\n请于 5 个工作日内一次性补齐。`;
      await notice.fill(sent);
      await dialog.locator('[data-test=transition-submit]').click();
      await dialog.waitFor({ state: 'hidden' });
      await state(page, 'awaiting_supplement');
      const c = (await clerk.get(`/cases/${windowNumber}`)).body;
      assert.equal(c.timeline.find((e) => e.action === 'notify_missing')?.note, sent);
    });
  });

  test('a hotline agent prints the receipt of a phone intake', async (t) => {
    const agent = await api(env.app.base, 'agent1');
    await withPage(env.browser, env.app.base, t, {}, async (p) => {
      const { page } = p;
      await signIn(page, 'agent1');
      await page.locator('[data-menu="/workbench/intake"]').click();
      await page.locator(field('requester-name')).fill('钱七');
      await page.locator(field('requester-phone')).fill('13900004444');
      await page.locator('[data-type=help]').click();
      await page.locator('[data-test=region]').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: '东昌区' }).first().click();
      await page.locator(field('title')).fill('小区门口井盖松动');
      await page.locator(field('content')).fill('东昌区团结路小区门口井盖松动,车辆经过有响声,存在安全隐患。');
      await page.click('[data-test=submit]');
      await page.waitForURL(/\/workbench\/cases\/SQ/);
      const number = await text(page, 'case-number');
      const code = await text(page, 'intake-check-code');
      const c = (await agent.get(`/cases/${number}`)).body;
      await page.click('[data-test=print-receipt]');
      await checkReceipt(page, env.app.base, number, c);
      assert.equal(await text(page, 'receipt-check-code'), code);
      assert.match(await text(page, 'receipt-kind'), /^诉求 · 求助$/);
      assert.equal(await page.locator('[data-test=receipt-item]').count(), 0, 'an appeal names no service item');
      assert.match(await text(page, 'receipt-requester'), /钱|\*/);
      // The intake page offers it again.
      await page.click('[data-test=receipt-back]');
      await page.waitForURL((u) => u.pathname === `/workbench/cases/${number}`);
      await page.locator('[data-menu="/workbench/intake"]').click();
      await page.locator(`[data-test=last-intake][data-number="${number}"]`).waitFor();
    });
  });

  test('a citizen prints the receipt of an online application right after filing and later from the track page', async (t) => {
    const citizen = await api(env.app.base, 'citizen1');
    await withPage(env.browser, env.app.base, t, {}, async (p) => {
      const { page } = p;
      await signIn(page, 'citizen1', { staff: false });
      await page.goto(`/services/${PERMIT_CODE}`);
      await page.click('[data-test=apply]');
      await page.locator(field('apply-content')).fill('东昌区幸福家园 8 号楼新建工程,申请施工许可。');
      await page.click('[data-test=apply-submit]');
      const number = await text(page, 'case-number');
      const code = await text(page, 'check-code');
      const c = (await citizen.get(`/cases/${number}`)).body;
      await page.click('[data-test=print-receipt]');
      await checkReceipt(page, env.app.base, number, c);
      assert.equal(await text(page, 'receipt-check-code'), code);
      assert.equal(await text(page, 'receipt-item-name'), PERMIT);
      assert.equal(await page.locator('[data-test=receipt-clerk]').count(), 0, 'filed online: no clerk');

      await page.goto(`/track?number=${number}`);
      await page.locator('[data-test=track-result]').waitFor();
      await page.click('[data-test=print-receipt]');
      await checkReceipt(page, env.app.base, number, c);
      assert.equal(await page.locator('[data-test=receipt-check-code]').count(), 0, 'the check code is shown once');
    });
  });
});
