// The public portal: phone-size home, the language switch, the knowledge base, sign-up and
// sign-in for citizens, and the 404 page.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, appAndBrowser, field, openPage, PHONE, signIn } from './lib.mjs';

describe('portal', () => {
  const env = appAndBrowser();

  test('the home page renders on a 375×667 phone with the ways to get help', async () => {
    const p = await openPage(env.browser, env.app.base, { viewport: PHONE });
    await p.page.goto('/');
    const call = p.page.locator('[data-test=hotline]');
    await call.waitFor();
    assert.equal(await call.getAttribute('href'), 'tel:12345');
    for (const w of ['file', 'track', 'guide']) assert.ok(await p.page.locator(`[data-test=way-${w}]`).isVisible(), w);
    const overflow = await p.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling on a phone (overflow ${overflow}px)`);
    assert.equal(await p.page.locator('h1').innerText(), '有事找 12345');
    p.assertClean();
    await p.close();
  });

  test('the English switch translates the page and survives a reload', async () => {
    const p = await openPage(env.browser, env.app.base, { viewport: PHONE });
    await p.page.goto('/');
    await p.page.click('[data-lang=en]');
    await p.page.getByRole('heading', { level: 1, name: 'Call 12345 for anything' }).waitFor();
    assert.equal(await p.page.getAttribute('html', 'lang'), 'en');
    await p.page.reload();
    await p.page.getByRole('heading', { level: 1, name: 'Call 12345 for anything' }).waitFor();
    await p.page.click('[data-lang=zh-CN]');
    await p.page.getByRole('heading', { level: 1, name: '有事找 12345' }).waitFor();
    p.assertClean();
    await p.close();
  });

  test('the knowledge search page shows results', async (t) => {
    const list = await fetch(`${env.app.base}/api/v1/knowledge`);
    if (list.status === 404) {
      t.skip('GET /api/v1/knowledge is not deployed yet (404)');
      return;
    }
    let { items } = await list.json();
    if (!items.length) {
      // Seed one article through the API when some demo account may edit the knowledge base.
      for (const u of ['sysadmin1', 'dispatcher1', 'agent1', 'leader1']) {
        const c = await api(env.app.base, u);
        const r = await c.post('/knowledge', { title: '冬季供暖报修指南', body: '供暖不热可拨打 12345 或联系供热公司报修。', keywords: '供暖,报修', category: 'heating', status: 'published' });
        if (r.status < 300) break;
      }
      items = (await (await fetch(`${env.app.base}/api/v1/knowledge`)).json()).items;
    }
    const p = await openPage(env.browser, env.app.base, { viewport: PHONE });
    await p.page.goto('/knowledge');
    if (!items.length) {
      await p.page.getByText('没有找到相关内容').waitFor();
      p.assertClean();
      await p.close();
      t.skip('the knowledge base is empty and no demo account may add an article: checked the empty state only');
      return;
    }
    await p.page.locator('[data-test=kb-results] li').first().waitFor();
    const word = items[0].title.slice(0, 2);
    await p.page.locator(field('kb-q')).fill(word);
    await p.page.click('[data-test=kb-search]');
    await p.page.waitForURL(/q=/);
    await p.page.locator('[data-test=kb-results] li').first().waitFor();
    await p.page.locator('[data-test=kb-results] li a').first().click();
    await p.page.locator('article h1').waitFor();
    p.assertClean();
    await p.close();
  });

  test('a citizen signs up, is signed in, signs out and signs in again', async () => {
    const p = await openPage(env.browser, env.app.base, { viewport: PHONE });
    await p.page.goto('/signup');
    const name = `e2e${Date.now().toString(36)}`;
    const form = p.page.locator('form');
    await form.getByLabel('用户名').fill(name);
    await form.getByLabel('姓名').fill('测试市民');
    await form.getByLabel('手机号码').fill('13800138000');
    await form.getByLabel('密码', { exact: true }).fill('Demo-Passw0rd-2026');
    await form.getByLabel('确认密码').fill('Demo-Passw0rd-2026');
    await p.page.getByRole('button', { name: '注册' }).click();
    await p.page.waitForURL((u) => u.pathname === '/');
    await p.page.getByText('测试市民').waitFor();
    await p.page.getByRole('button', { name: '退出' }).click();
    await p.page.getByRole('link', { name: '登录' }).waitFor();
    await signIn(p.page, 'citizen1', { staff: false });
    await p.page.getByText('张三').waitFor();
    p.assertClean();
    await p.close();
  });

  test('a wrong password is explained in words', async () => {
    const p = await openPage(env.browser, env.app.base);
    await p.page.goto('/workbench/login');
    await p.page.locator(field('username')).fill('agent1');
    await p.page.locator(field('password')).fill('wrong-password');
    await p.page.click('[data-test=sign-in]');
    const alert = p.page.getByRole('alert');
    await alert.waitFor();
    assert.ok((await alert.innerText()).trim().length > 3);
    p.assertClean();
    await p.close();
  });

  test('unknown paths show the not-found page (history mode fallback)', async () => {
    const p = await openPage(env.browser, env.app.base);
    await p.page.goto('/no/such/page');
    await p.page.getByText('页面不存在', { exact: true }).waitFor();
    p.assertClean();
    await p.close();
  });
});
