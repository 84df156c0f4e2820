// Measures what a browser downloads to show the portal home: the entry script, the chunks it
// preloads and the CSS linked from dist/index.html, each gzipped (level 9, as a server would).
// Usage: node web/scripts/bundle-size.mjs [--quiet] [--json]
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';

const dist = resolve(new URL('..', import.meta.url).pathname, 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const refs = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const gz = (f) => gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;
let js = 0;
let css = 0;
const rows = [];
for (const f of [...new Set(refs)]) {
  const size = gz(f);
  if (f.endsWith('.js')) js += size; else css += size;
  rows.push([f, size]);
}
const all = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'));
const totalJs = all.reduce((a, f) => a + gz(join('assets', f)), 0);
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ first_load_js_gzip: js, first_load_css_gzip: css, all_js_gzip: totalJs }));
} else if (process.argv.includes('--quiet')) {
  console.log(`== web: portal home first load ${kb(js)} JS + ${kb(css)} CSS gzipped (budget 250 kB JS)`);
} else {
  for (const [f, s] of rows) console.log(`${kb(s).padStart(10)}  ${f}`);
  console.log(`first-load JS (gzip): ${kb(js)}; CSS (gzip): ${kb(css)}; all JS chunks (gzip): ${kb(totalJs)}`);
  if (js > 250 * 1024) { console.error('over the 250 kB budget'); process.exit(1); }
}
