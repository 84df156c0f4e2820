// Shared helpers for the browser tests: the real huiyin binary serving web/dist (through
// tests/api/lib/server.mjs: migrate + demo city + serve on a free loopback port), Debian's
// Chromium through playwright-core, and a page wrapper that fails the test on console errors,
// uncaught exceptions, failed static assets and server errors (5xx).
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from '../../web/node_modules/playwright-core/index.mjs';
import { startServer, DEMO_PASSWORD, ROOT } from '../api/lib/server.mjs';

export { DEMO_PASSWORD, ROOT };
export const WEB_ROOT = resolve(ROOT, 'web/dist');
export const CHROMIUM = process.env.HUIYIN_CHROMIUM || '/usr/bin/chromium';
export const PHONE = { width: 375, height: 667 };
export const DESKTOP = { width: 1366, height: 900 };

export async function startApp() {
  if (!existsSync(join(WEB_ROOT, 'index.html'))) throw new Error('web/dist is missing: run scripts/web.sh build');
  return startServer({ settings: { 'web.root': WEB_ROOT } });
}

/**
 * One server and one browser for the enclosing describe block: started before its first test,
 * stopped after its last. Tests read `env.app` and `env.browser`.
 */
export function appAndBrowser() {
  const env = { app: null, browser: null };
  before(async () => {
    env.app = await startApp();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.app?.stop();
  });
  return env;
}

/** Whether an earlier step left what this test needs (`value`); skips the test when not. */
export function need(t, value, what) {
  if (!value) t.skip(`nothing from the ${what} step`);
  return !!value;
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/**
 * A fresh browser context and page. `problems` collects everything that must not happen; call
 * `assertClean()` at the end of a test. API answers 4xx are part of normal use (a wrong password,
 * an API that has not been deployed yet) and the app shows them in words; they are not problems.
 */
export async function openPage(browser, base, { viewport = DESKTOP, locale = 'zh-CN' } = {}) {
  const context = await browser.newContext({ viewport, locale, baseURL: base, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const problems = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    // The browser logs every non-2xx response; those for /api/ are handled by the app.
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(text) && /\/api\//.test(m.location()?.url || '')) return;
    problems.push(`console error: ${text} (${m.location()?.url || ''})`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (r.status() >= 500) problems.push(`server error ${r.status()} ${u.pathname}`);
    else if (r.status() >= 400 && !u.pathname.startsWith('/api/')) problems.push(`asset ${r.status()} ${u.pathname}`);
  });
  page.on('requestfailed', (r) => {
    const f = r.failure()?.errorText || '';
    if (!/ERR_ABORTED/.test(f)) problems.push(`request failed ${r.url()}: ${f}`);
  });
  return {
    context,
    page,
    problems,
    /** Saves a screenshot to $HUIYIN_E2E_SHOTS (default /tmp/huiyin-e2e) for a failing test. */
    async shot(name) {
      const dir = process.env.HUIYIN_E2E_SHOTS || '/tmp/huiyin-e2e';
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, `${name.replace(/[^\w-]+/g, '_')}.png`), fullPage: true }).catch(() => {});
    },
    assertClean() {
      if (problems.length) throw new Error('browser problems:\n' + problems.join('\n'));
    },
    async close() { await context.close(); },
  };
}

/** The native input or textarea of an Element Plus field marked data-test=name. */
export const field = (name) =>
  `input[data-test=${name}], textarea[data-test=${name}], [data-test=${name}] input, [data-test=${name}] textarea`;

/** Signs in through the UI (portal /login, or /workbench/login for staff). */
export async function signIn(page, username, { staff = true, password = DEMO_PASSWORD } = {}) {
  await page.goto(staff ? '/workbench/login' : '/login');
  await page.locator(field('username')).fill(username);
  await page.locator(field('password')).fill(password);
  await page.click('[data-test=sign-in]');
  await page.waitForURL((u) => !/\/login/.test(u.pathname));
}

/** A tiny API client for test setup (cookie + CSRF), independent of the browser. */
export async function api(base, username, password = DEMO_PASSWORD) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.getSetCookie?.() || [res.headers.get('set-cookie')]).map((c) => c.split(';')[0]).join('; ');
  const { csrf_token } = await res.json();
  const call = async (method, path, body, headers = {}) => {
    const r = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrf_token, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    let json;
    try { json = text ? JSON.parse(text) : undefined; } catch { json = text; }
    return { status: r.status, body: json };
  };
  return { get: (p) => call('GET', p), post: (p, b, h) => call('POST', p, b, h) };
}

/** True when the API route exists (anything but a 404 from the router). */
export async function routeExists(base, path, cookieApi) {
  const r = cookieApi ? await cookieApi.get(path) : { status: (await fetch(base + '/api/v1' + path)).status };
  return r.status !== 404;
}

/** Runs `fn(p)` with a fresh page; on failure saves a screenshot named after the test, then rethrows. */
export async function withPage(browser, base, t, opts, fn) {
  const p = await openPage(browser, base, opts);
  try {
    await fn(p);
    p.assertClean();
  } catch (e) {
    await p.shot(t.name);
    if (p.problems.length) e.message += '\nbrowser problems:\n' + p.problems.join('\n');
    throw e;
  } finally {
    await p.close();
  }
}
