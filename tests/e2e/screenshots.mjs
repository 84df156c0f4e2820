// Screenshots of the key pages for docs/screenshots/ (run by `scripts/web.sh screenshots`).
// Starts the real binary with the demo city, takes a few cases through the workflow over the API so
// the pages have content, then photographs the portal (phone size), workbench and dashboard.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { api, launch, openPage, PHONE, ROOT, signIn, startApp } from './lib.mjs';

const OUT = process.env.HUIYIN_SCREENSHOTS || join(ROOT, 'docs/screenshots');
mkdirSync(OUT, { recursive: true });

const app = await startApp();
const browser = await launch();
const shots = [];
async function shoot(name, { viewport, user, staff = true, path, wait, locale, full = false, before } = {}) {
  const p = await openPage(browser, app.base, { viewport, locale });
  try {
    if (locale === 'en') await p.page.addInitScript(() => localStorage.setItem('huiyin.locale', 'en'));
    if (user) await signIn(p.page, user, { staff });
    await p.page.goto(path);
    if (wait) await p.page.locator(wait).first().waitFor();
    if (before) await before(p.page);
    await p.page.waitForLoadState('networkidle');
    await p.page.waitForTimeout(600); // chart animations
    const file = join(OUT, `${name}.png`);
    await p.page.screenshot({ path: file, fullPage: full });
    shots.push(file);
    if (p.problems.length) console.warn(`${name}: ${p.problems.join('; ')}`);
  } catch (e) {
    console.warn(`${name}: skipped (${e.message.split('\n')[0]})`);
  } finally {
    await p.close();
  }
}

try {
  // Some content: three cases at different steps (when the case API is deployed).
  let number = '';
  const agent = await api(app.base, 'agent1');
  const mk = (title, type, region) => agent.post('/cases', {
    kind: 'appeal', type, channel: 'phone', title, content: `${title}。请相关部门尽快处理。`, category: '', region_code: region,
    address: '东昌区新站街', anonymous: false, confidential: false, requester: { name: '李四', phone: '13900001111' },
  }, { 'Idempotency-Key': crypto.randomUUID() });
  const a = await mk('小区供暖温度不达标', 'complaint', '220502');
  if (a.status === 201) {
    await mk('路灯不亮', 'help', '220503');
    await mk('建议增设公交站点', 'suggestion', '220521');
    number = a.body.case.number;
    const dispatcher = await api(app.base, 'dispatcher1');
    let c = (await dispatcher.post(`/cases/${number}/transitions/dispatch`, { version: a.body.case.version, lead_org_id: 13 })).body;
    const handler = await api(app.base, 'zjhandler1');
    c = (await handler.post(`/cases/${number}/transitions/sign_for`, { version: c.version })).body;
    await handler.post(`/cases/${number}/transitions/submit_reply`, { version: c.version, reply: '经核查,供热公司已检修管道,室温已恢复。' });
  }

  await shoot('portal-home-phone', { viewport: PHONE, path: '/', wait: '[data-test=hotline]', full: true });
  await shoot('portal-home-phone-en', { viewport: PHONE, path: '/', wait: '[data-test=hotline]', locale: 'en' });
  await shoot('portal-file-appeal-phone', { viewport: PHONE, path: '/appeal', wait: '[data-test=submit]', full: true });
  await shoot('portal-track-phone', { viewport: PHONE, user: 'agent1', path: number ? `/track?number=${number}` : '/track', wait: number ? '[data-test=track-result]' : 'h1', full: true });
  await shoot('portal-knowledge-phone', { viewport: PHONE, path: '/knowledge', wait: 'h1' });
  await shoot('workbench-login', { path: '/workbench/login', wait: '[data-test=sign-in]' });
  await shoot('workbench-queues-dispatcher', { user: 'dispatcher1', path: '/workbench/queues?queue=all', wait: '[data-test=case-table]' });
  if (number) await shoot('workbench-case-head', { user: 'zjhead1', path: `/workbench/cases/${number}`, wait: '[data-test=actions] button', full: true });
  await shoot('workbench-intake-agent', { user: 'agent1', path: '/workbench/intake', wait: '[data-test=submit]', full: true });
  await shoot('workbench-orgs', { user: 'sysadmin1', path: '/workbench/system/orgs', wait: '[data-test=org-tree]' });
  await shoot('workbench-calendar', { user: 'sysadmin1', path: '/workbench/system/calendar', wait: '[data-date]', full: true });
  await shoot('workbench-audit', { user: 'auditadmin1', path: '/workbench/audit', wait: '[data-test=audit-table] .el-table__row' });
  await shoot('dashboard-leader', { user: 'leader1', path: '/dashboard', wait: '[data-test=kpis]', full: true });
  console.log(`saved ${shots.length} screenshots to ${OUT}`);
} finally {
  await browser.close();
  await app.stop();
}
