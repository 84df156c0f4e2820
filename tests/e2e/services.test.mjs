// The service catalogue and applications (issue 7) in the browser, against the real binary with the
// demo catalogue (48 published items of 52): anyone searches the service guide and opens an item
// with its materials and time limits; a citizen applies online and tracks the application; the
// window clerk finds it in the applications queue and accepts it. Also intake at the window and
// the application workflow through the housing bureau: one-time notice of what is missing,
// supplement, acceptance, review, an extension by the head and the grant.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appAndBrowser, field, need, PHONE, signIn, withPage } from './lib.mjs';

const FOOD = '食品经营许可（新办）'; // 市场监督管理局: committed 3, legal 10 working days
const PERMIT = '建筑工程施工许可证核发'; // 住房和城乡建设局: committed 3, legal 5 working days

describe('service guide and applications', () => {
  const env = appAndBrowser();
  let number = ''; // the citizen's online application
  let windowNumber = ''; // the one taken in at the window

  async function step(page, action, fill = async () => {}) {
    await page.locator(`[data-action=${action}]`).click();
    const dialog = page.locator('.el-dialog:visible');
    await dialog.waitFor();
    await fill(dialog);
    await dialog.locator('[data-test=transition-submit]').click();
    await dialog.waitFor({ state: 'hidden' });
  }

  const state = (page, s) => page.locator(`[data-test=case-state][data-state=${s}]`).waitFor();

  async function openFromApplications(page, n) {
    await page.locator('[data-menu="/workbench/applications"]').click();
    await page.waitForURL(/\/workbench\/applications/);
    await page.locator(`[data-number="${n}"]`).click();
    await page.locator('[data-test=case-number]').waitFor();
  }

  test('anyone searches the service guide on a phone and opens an item with its materials and limits', async (t) => {
    await withPage(env.browser, env.app.base, t, { viewport: PHONE }, async (p) => {
      await p.page.goto('/');
      await p.page.click('[data-test=way-guide]');
      await p.page.waitForURL((u) => u.pathname === '/services');
      const rows = p.page.locator('[data-test=svc-results] li');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 20, 'the first page holds 20 items');
      await p.page.click('[data-test=svc-more]');
      await p.page.waitForFunction(() => document.querySelectorAll('[data-test=svc-results] li').length > 20);

      await p.page.locator(field('svc-q')).fill('食品经营许可');
      await p.page.click('[data-test=svc-search]');
      await p.page.waitForURL(/q=/);
      await p.page.waitForFunction(() => document.querySelectorAll('[data-test=svc-results] li').length < 20);
      const names = await p.page.locator('[data-test=svc-results] li a.title').allInnerTexts();
      assert.ok(names.includes(FOOD) && names.length <= 5, `the food licences: ${names}`);
      // the filters apply at once and go into the address
      await p.page.locator('[data-test=svc-life-event]').click();
      await p.page.locator('.el-select-dropdown__item:visible', { hasText: '开办企业' }).click();
      await p.page.waitForURL(/life_event=business/);
      await p.page.locator('[data-test=svc-level]').click();
      await p.page.locator('.el-select-dropdown__item:visible', { hasText: '市级' }).click();
      await p.page.waitForURL(/level=city/);
      await p.page.locator('[data-test=svc-item-type]').click();
      await p.page.locator('.el-select-dropdown__item:visible', { hasText: '行政确认' }).click();
      await p.page.getByText('没有找到相关事项').waitFor();
      await p.page.locator('[data-test=svc-item-type]').click();
      await p.page.locator('.el-select-dropdown__item:visible', { hasText: '行政许可' }).click();
      await p.page.waitForURL(/item_type=licensing/);
      await p.page.getByRole('link', { name: FOOD, exact: true }).click();

      await p.page.waitForURL(/\/services\/\d{12}-/);
      assert.equal((await p.page.locator('[data-test=svc-name]').innerText()).trim(), FOOD);
      assert.match(await p.page.locator('[data-test=materials]').innerText(), /食品经营许可申请书/);
      assert.match(await p.page.locator('[data-test=svc-committed]').innerText(), /3 个工作日/);
      assert.match(await p.page.locator('[data-test=svc-legal]').innerText(), /10 个工作日/);
      assert.match(await p.page.locator('[data-test=svc-code]').innerText(), /^000124001000-220500000000-/);
      assert.ok(await p.page.locator('[data-test=steps] li').count() >= 3, 'the steps are listed');
      // not signed in: the way to apply is to sign in first
      await p.page.locator('[data-test=apply-sign-in]').waitFor();
      const overflow = await p.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px)`);
    });
  });

  test('a citizen applies online and tracks the application', async (t) => {
    await withPage(env.browser, env.app.base, t, {}, async (p) => {
      await signIn(p.page, 'citizen1', { staff: false });
      await p.page.goto('/services?q=' + encodeURIComponent(FOOD));
      await p.page.getByRole('link', { name: FOOD, exact: true }).click();
      await p.page.click('[data-test=apply]');
      await p.page.locator(field('apply-content')).fill('在东昌区新站街开办一家小餐馆,经营热食类食品制售。');
      await p.page.click('[data-test=apply-submit]');
      const num = p.page.locator('[data-test=case-number]');
      await num.waitFor();
      number = (await num.innerText()).trim();
      assert.match(number, /^BJ\d{14}$/);
      assert.ok((await p.page.locator('[data-test=check-code]').innerText()).trim().length >= 4, 'a check code is shown');

      await p.page.click('[data-test=track-it]');
      await p.page.locator('[data-test=track-result]').waitFor();
      assert.match(await p.page.locator('[data-test=track-state]').innerText(), /已申请/);
      assert.equal((await p.page.locator('[data-test=track-item]').innerText()).trim(), FOOD);
      const result = await p.page.locator('[data-test=track-result]').innerText();
      assert.match(result, /办件编号/);
      assert.match(result, /市场监督管理局/);
      await p.page.locator('[data-clock=acceptance][data-level=normal]').waitFor();
      await p.page.getByText('提交申请').waitFor();
    });
  });

  test('the window clerk finds the application in the applications queue and accepts it', async (t) => {
    if (!need(t, number, 'online')) return;
    await withPage(env.browser, env.app.base, t, {}, async (p) => {
      await signIn(p.page, 'clerk1');
      await p.page.locator('[data-menu="/workbench/applications"]').click();
      await p.page.locator('[data-test=state-tabs] [data-state=submitted]').click();
      await p.page.waitForURL(/state=submitted/);
      const row = p.page.locator('[data-test=case-table] .el-table__row', { has: p.page.locator(`[data-number="${number}"]`) });
      await row.locator('[data-level=normal]').waitFor();
      await row.locator(`[data-number="${number}"]`).click();
      await state(p.page, 'submitted');
      for (const a of ['notify_missing', 'accept', 'refuse', 'withdraw']) {
        assert.equal(await p.page.locator(`[data-action=${a}]`).count(), 1, `the clerk may ${a}`);
      }
      assert.match(await p.page.locator('[data-test=case-item]').innerText(), /食品经营许可/);
      await step(p.page, 'accept');
      await state(p.page, 'accepted');
      await p.page.locator('[data-clock=decision]').waitFor();
      // the applications page and the hotline's queues are one page: switching keeps both working
      await p.page.locator('[data-menu="/workbench/applications"]').click();
      await p.page.locator('[data-test=state-tabs] [data-state=accepted]').waitFor();
      await p.page.locator('[data-menu="/workbench/queues"]').click();
      await p.page.locator('[data-queue=all]').click();
      await p.page.locator(`[data-number="${number}"]`).waitFor();
    });
  });

  test('the window clerk takes an application in at the window, notifies what is missing and accepts it', async (t) => {
    await withPage(env.browser, env.app.base, t, {}, async (p) => {
      await signIn(p.page, 'clerk1');
      await p.page.locator('[data-menu="/workbench/applications/intake"]').click();
      await p.page.locator('[data-test=item-picker]').click();
      await p.page.keyboard.type('施工许可');
      await p.page.locator('.el-select-dropdown__item:visible', { hasText: PERMIT }).first().click();
      await p.page.locator('[data-test=picked-item] [data-test=materials] li').first().waitFor();
      await p.page.locator(field('requester-name')).fill('王五');
      await p.page.locator(field('requester-phone')).fill('13900002222');
      await p.page.locator(field('content')).fill('通化市东昌区幸福家园 3 号楼新建工程申请施工许可。');
      await p.page.click('[data-test=submit]');
      await p.page.waitForURL(/\/workbench\/cases\/BJ/);
      windowNumber = (await p.page.locator('[data-test=case-number]').innerText()).trim();
      await state(p.page, 'submitted');
      assert.match(await p.page.locator('[data-test=requester]').innerText(), /王|\*/);
      await step(p.page, 'notify_missing', (d) => d.locator(field('field-reason')).fill('缺少施工图设计文件审查合格书,请一次性补齐。'));
      await state(p.page, 'awaiting_supplement');
      await step(p.page, 'supplement', (d) => d.locator(field('field-note')).fill('申请人已补交审查合格书。'));
      await state(p.page, 'supplemented');
      await step(p.page, 'accept');
      await state(p.page, 'accepted');
    });
  });

  test('the housing bureau reviews it, the head extends the limit and grants it', async (t) => {
    if (!need(t, windowNumber, 'window intake')) return;
    await withPage(env.browser, env.app.base, t, {}, async (p) => {
      await signIn(p.page, 'zjhandler1');
      await openFromApplications(p.page, windowNumber);
      await step(p.page, 'review', (d) => d.locator(field('field-note')).fill('材料齐全,进入实质审查。'));
      await state(p.page, 'reviewing');
    });
    await withPage(env.browser, env.app.base, t, {}, async (p) => {
      await signIn(p.page, 'zjhead1');
      await openFromApplications(p.page, windowNumber);
      await state(p.page, 'reviewing');
      await step(p.page, 'extend', async (d) => {
        await d.locator(field('field-days')).fill('5');
        await d.locator(field('field-reason')).fill('需现场核查,经负责人批准延长 5 个工作日。');
      });
      await p.page.locator('[data-clock=decision]').getByText(/已延期 5/).waitFor();
      await step(p.page, 'grant', (d) => d.locator(field('field-reply')).fill('经审查,符合法定条件,准予核发建筑工程施工许可证。'));
      await state(p.page, 'granted');
      await p.page.locator('[data-clock=certificate]').waitFor();
    });
  });
});
