// Sign-in for every demo role lands on a page that role may use; staff pages survive a reload;
// the administration pages (organisations, users, calendar, audit log) work for their admins.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appAndBrowser, openPage, signIn } from './lib.mjs';

// username → where the role lands, and a menu entry it must (or must not) see
const STAFF = [
  ['agent1', '/workbench/queues', ['/workbench/intake'], ['/workbench/system/users']],
  ['clerk1', '/workbench/queues', ['/workbench/intake'], ['/dashboard']],
  ['dispatcher1', '/workbench/queues', [], ['/workbench/audit']],
  ['zjhandler1', '/workbench/queues', [], ['/workbench/intake']],
  ['zjhead1', '/workbench/queues', ['/dashboard'], ['/workbench/intake']],
  ['cghandler1', '/workbench/queues', [], []],
  ['cghead1', '/workbench/queues', [], []],
  ['dchandler1', '/workbench/queues', [], []],
  ['supervisor1', '/workbench/queues', ['/dashboard'], []],
  ['leader1', '/workbench/queues', ['/dashboard'], ['/workbench/system/users']],
  ['sysadmin1', '/workbench/system/orgs', ['/workbench/system/users', '/workbench/system/calendar'], ['/workbench/audit']],
  ['secadmin1', '/workbench/system/orgs', ['/workbench/system/users'], ['/workbench/system/calendar']],
  ['auditadmin1', '/workbench/audit', [], ['/workbench/system/users']],
];

describe('workbench', () => {
  const env = appAndBrowser();

  for (const [user, landing, sees, hidden] of STAFF) {
    test(`${user} signs in and lands on ${landing}`, async () => {
      const p = await openPage(env.browser, env.app.base);
      await signIn(p.page, user);
      await p.page.waitForURL((u) => u.pathname === landing);
      await p.page.locator('[data-test=whoami]').waitFor();
      for (const m of sees) assert.ok(await p.page.locator(`[data-menu="${m}"]`).count(), `${user} sees ${m}`);
      for (const m of hidden) assert.equal(await p.page.locator(`[data-menu="${m}"]`).count(), 0, `${user} does not see ${m}`);
      await p.page.waitForLoadState('networkidle');
      p.assertClean();
      await p.close();
    });
  }

  for (const [user, name] of [['citizen1', '张三'], ['enterprise1', '通化示范商贸有限公司']]) {
    test(`${user} signs in on the portal`, async () => {
      const p = await openPage(env.browser, env.app.base);
      await signIn(p.page, user, { staff: false });
      await p.page.getByText(name).waitFor();
      // a citizen is not staff: the workbench sends them back to the portal
      await p.page.goto('/workbench/queues');
      await p.page.waitForURL((u) => u.pathname === '/');
      p.assertClean();
      await p.close();
    });
  }

  test('a staff page survives a reload, and signing out protects it again', async () => {
    const p = await openPage(env.browser, env.app.base);
    await signIn(p.page, 'dispatcher1');
    await p.page.reload();
    await p.page.locator('[data-test=whoami]').waitFor();
    await p.page.click('[data-test=sign-out]');
    await p.page.waitForURL(/\/workbench\/login/);
    await p.page.goto('/workbench/queues');
    await p.page.waitForURL(/\/workbench\/login\?redirect=/);
    p.assertClean();
    await p.close();
  });

  test('a page outside the role is refused', async () => {
    const p = await openPage(env.browser, env.app.base);
    await signIn(p.page, 'agent1');
    await p.page.goto('/workbench/audit');
    await p.page.getByText('无权访问').waitFor();
    p.assertClean();
    await p.close();
  });

  test('the system admin sees the organisation tree, the users and the calendar', async () => {
    const p = await openPage(env.browser, env.app.base);
    await signIn(p.page, 'sysadmin1');
    await p.page.goto('/workbench/system/orgs');
    const node = p.page.locator('[data-test=org-tree] .org-name').getByText('住房和城乡建设局', { exact: true });
    await node.click();
    await p.page.getByRole('heading', { name: '住房和城乡建设局' }).waitFor();
    await p.page.getByRole('cell', { name: 'zjhandler1' }).waitFor();
    await p.page.goto('/workbench/system/users');
    await p.page.locator('[data-test=user-table] .el-table__row').first().waitFor();
    await p.page.goto('/workbench/system/calendar');
    // The cells are drawn before the year's days off arrive: wait (bounded) for the class.
    const nationalDay = p.page.locator('[data-date$="-10-01"]').first();
    await nationalDay.waitFor();
    await p.page.waitForFunction(
      () => document.querySelector('[data-date$="-10-01"]')?.classList.contains('off'), null, { timeout: 10000 },
    ).catch(() => {});
    assert.match(await nationalDay.getAttribute('class'), /off/, 'National Day is a day off');
    p.assertClean();
    await p.close();
  });

  test('the audit admin reads the audit log and verifies the chain', async () => {
    const p = await openPage(env.browser, env.app.base);
    await signIn(p.page, 'auditadmin1');
    await p.page.locator('[data-test=audit-table] .el-table__row').first().waitFor();
    await p.page.click('[data-test=audit-verify]');
    await p.page.locator('[data-test=audit-verify-result].el-alert--success').waitFor();
    p.assertClean();
    await p.close();
  });
});
