import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, buildUrl, configureRequest, errorText, get, post, uuid } from './request';

vi.mock('element-plus', () => ({ ElMessage: vi.fn() }));
vi.mock('element-plus/es/components/message/style/css', () => ({}));

function problem(status: number, body: object) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json' } });
}

afterEach(() => vi.unstubAllGlobals());

describe('request', () => {
  it('builds /api/v1 URLs and drops empty query values', () => {
    expect(buildUrl('/cases', { queue: 'overdue', q: '', cursor: undefined, limit: 50 })).toBe('/api/v1/cases?queue=overdue&limit=50');
    expect(buildUrl('/api/v1/x')).toBe('/api/v1/x');
  });

  it('sends the CSRF token on changes but not on reads', async () => {
    const fetchMock = vi.fn(async () => new Response('{"ok":true}', { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    configureRequest({ csrf: () => 'tok-1', onUnauthorized: () => {} });
    await get('/auth/me', undefined, { silent: true });
    await post('/auth/logout', {}, { silent: true });
    const calls = fetchMock.mock.calls as unknown as [string, RequestInit][];
    expect((calls[0][1].headers as Record<string, string>)['X-CSRF-Token']).toBeUndefined();
    expect((calls[1][1].headers as Record<string, string>)['X-CSRF-Token']).toBe('tok-1');
    expect(calls[1][1].credentials).toBe('same-origin');
  });

  it('sends a file as the raw body with its own type and the CSRF token', async () => {
    const fetchMock = vi.fn(async () => new Response('{"id":1}', { status: 201 }));
    vi.stubGlobal('fetch', fetchMock);
    configureRequest({ csrf: () => 'tok-2', onUnauthorized: () => {} });
    const file = new Blob(['%PDF-1.4'], { type: 'application/pdf' });
    await post('/cases/BJ1/attachments', file, { query: { name: '申请书.pdf' }, silent: true });
    const [url, init] = (fetchMock.mock.calls as unknown as [string, RequestInit][])[0];
    expect(url).toBe('/api/v1/cases/BJ1/attachments?name=%E7%94%B3%E8%AF%B7%E4%B9%A6.pdf');
    expect(init.body).toBe(file);
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/pdf');
    expect((init.headers as Record<string, string>)['X-CSRF-Token']).toBe('tok-2');
  });

  it('turns problem+json into an ApiError whose message is the detail', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => problem(409, {
      type: 'urn:huiyin:problem:version_conflict', title: 'Conflict', status: 409, code: 'version_conflict',
      detail: 'the case changed since you loaded it', errors: [{ field: 'version', message: 'is stale' }],
    })));
    const err = (await post('/cases/SQ1/transitions/dispatch', { version: 1 }, { silent: true }).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(409);
    expect(err.code).toBe('version_conflict');
    expect(err.message).toBe('the case changed since you loaded it');
    expect(errorText(err)).toContain('version: is stale');
  });

  it('reports a 401 so the app can go to sign-in', async () => {
    const onUnauthorized = vi.fn();
    configureRequest({ csrf: () => null, onUnauthorized });
    vi.stubGlobal('fetch', vi.fn(async () => problem(401, { code: 'unauthenticated', detail: 'sign in first' })));
    await expect(get('/queues', undefined, { silent: true })).rejects.toThrow('sign in first');
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('explains a network failure in words', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    const err = (await get('/regions', undefined, { silent: true }).catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('network');
    expect(err.message.length).toBeGreaterThan(5);
  });

  it('makes version 4 UUIDs for Idempotency-Key', () => {
    const a = uuid();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuid()).not.toBe(a);
  });
});
