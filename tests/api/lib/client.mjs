// A small HTTP client for API tests: JSON bodies, a cookie jar and the CSRF header of a session.
export class Client {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
    this.csrf = null;
    this.bearer = null;
  }

  async request(method, path, { body, headers = {}, raw } = {}) {
    const h = { ...headers };
    if (this.cookies.size) {
      h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    if (this.csrf && method !== 'GET' && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrf;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    let payload = raw;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] = h['content-type'] || 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload });
    for (const c of res.headers.getSetCookie?.() ?? []) {
      const [kv] = c.split(';');
      const i = kv.indexOf('=');
      const name = kv.slice(0, i);
      const value = kv.slice(i + 1);
      if (value === '' || /max-age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, headers: res.headers, text, json };
  }

  get(path, opts) { return this.request('GET', path, opts); }
  post(path, body, opts = {}) { return this.request('POST', path, { ...opts, body }); }
  put(path, body, opts = {}) { return this.request('PUT', path, { ...opts, body }); }
  patch(path, body, opts = {}) { return this.request('PATCH', path, { ...opts, body }); }
  delete(path, opts) { return this.request('DELETE', path, opts); }

  async login(username, password) {
    const r = await this.post('/api/v1/auth/login', { username, password });
    if (r.status === 200) this.csrf = r.json.csrf_token;
    return r;
  }
}
