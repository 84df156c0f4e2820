// The one HTTP client: JSON in and out, the session cookie, the CSRF header on every non-GET, and
// RFC 9457 problem+json turned into an ApiError whose message is the server's `detail`. Every
// failure is shown to the user (ElMessage) unless the caller asks to handle it itself (`silent`).
import { ElMessage } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import { i18n } from '@/locales';

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldError[];
  constructor(status: number, code: string, detail: string, errors: FieldError[] = []) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.errors = errors;
  }
  /** The API route has not been deployed yet (404 with code not_found on a collection path). */
  get notFound(): boolean {
    return this.status === 404;
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  query?: Query;
  /** JSON, or a Blob (a File) sent as the raw body with its own type. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Do not show an ElMessage; the caller renders the error itself. */
  silent?: boolean;
  /** Do not treat 401 as "signed out" (the sign-in call itself). */
  noAuthRedirect?: boolean;
}

type Hooks = {
  csrf: () => string | null;
  onUnauthorized: () => void;
};
let hooks: Hooks = { csrf: () => null, onUnauthorized: () => {} };

/** Wired by the user store at start-up (keeps this module free of store imports). */
export function configureRequest(h: Hooks): void {
  hooks = h;
}

export function buildUrl(path: string, query?: Query): string {
  const base = path.startsWith('/api/') ? path : `/api/v1${path}`;
  if (!query) return base;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    qs.append(k, String(v));
  }
  const s = qs.toString();
  return s ? `${base}?${s}` : base;
}

function t(key: string): string {
  return i18n.global.t(key) as string;
}

/** Turns any error into words for the user. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = e.errors.map((f) => `${f.field}: ${f.message}`).join('; ');
    return fields && !e.message.includes(fields) ? `${e.message} (${fields})` : e.message;
  }
  if (e instanceof Error && e.message) return e.message;
  return t('error.unknown');
}

export function showError(e: unknown): void {
  ElMessage({ type: 'error', message: errorText(e), showClose: true, grouping: true });
}

async function parseError(res: Response): Promise<ApiError> {
  let code = 'http_' + res.status;
  let detail = '';
  let errors: FieldError[] = [];
  try {
    const body = (await res.json()) as { code?: string; detail?: string; title?: string; errors?: FieldError[] };
    code = body.code || code;
    detail = body.detail || body.title || '';
    errors = Array.isArray(body.errors) ? body.errors : [];
  } catch {
    /* not JSON: fall back to the status text */
  }
  if (!detail) {
    if (res.status === 503) detail = t('error.busy');
    else if (res.status >= 500) detail = t('error.server');
    else detail = `${t('error.http')} ${res.status}`;
  }
  return new ApiError(res.status, code, detail, errors);
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  let body: string | Blob | undefined;
  if (opts.body instanceof Blob) {
    headers['Content-Type'] = opts.body.type || 'application/octet-stream';
    body = opts.body;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const token = hooks.csrf();
    if (token) headers['X-CSRF-Token'] = token;
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), { method, headers, body, credentials: 'same-origin' });
  } catch {
    const err = new ApiError(0, 'network', t('error.network'));
    if (!opts.silent) showError(err);
    throw err;
  }
  if (!res.ok) {
    const err = await parseError(res);
    if (res.status === 401 && !opts.noAuthRedirect) hooks.onUnauthorized();
    if (!opts.silent) showError(err);
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string, query?: Query, opts: RequestOptions = {}) =>
  request<T>('GET', path, { ...opts, query });
export const post = <T>(path: string, body?: unknown, opts: RequestOptions = {}) =>
  request<T>('POST', path, { ...opts, body });
export const put = <T>(path: string, body?: unknown, opts: RequestOptions = {}) =>
  request<T>('PUT', path, { ...opts, body });
export const del = <T>(path: string, opts: RequestOptions = {}) => request<T>('DELETE', path, opts);

/** A random UUID (v4) for Idempotency-Key; crypto.randomUUID needs a secure context. */
export function uuid(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto && window.isSecureContext) return crypto.randomUUID();
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The field errors of a failed request by field ("requester/phone" → "requester.phone"), for form items. */
export function fieldErrorsOf(e: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (e instanceof ApiError) for (const f of e.errors) out[f.field.replace(/^\//, '').replace(/\//g, '.')] = f.message;
  return out;
}
