// Generates config/calendars/cn-official.json from the pinned `chinese-days` npm package.
// Usage (from the repository root or anywhere): node scripts/calendar/convert.mjs
// The output format is documented in config/calendars/README.md. Never edit the output by hand.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgJsonPath = require.resolve('chinese-days/package.json');
const pkgDir = dirname(pkgJsonPath);
const pkg = JSON.parse(readFileSync(pkgJsonPath, 'utf8'));
const data = JSON.parse(readFileSync(join(pkgDir, 'dist', 'chinese-days.json'), 'utf8'));

const fail = (msg) => {
  console.error(`convert.mjs: ${msg}`);
  process.exit(1);
};
const dateRe = /^\d{4}-\d{2}-\d{2}$/;

// Values look like "Spring Festival,春节,4": English name, Chinese name, length of the break.
const chineseName = (date, value) => {
  const parts = String(value).split(',');
  if (parts.length < 2 || !parts[1]) fail(`${date}: unexpected value ${JSON.stringify(value)}`);
  return parts[1].trim();
};

for (const key of ['holidays', 'workdays', 'inLieuDays']) {
  if (typeof data[key] !== 'object' || data[key] === null) fail(`missing map "${key}"`);
}

const days = [];
const years = new Set();
for (const [kind, key] of [
  ['off', 'holidays'],
  ['work', 'workdays'],
]) {
  for (const [date, value] of Object.entries(data[key])) {
    if (!dateRe.test(date)) fail(`${key}: bad date key ${date}`);
    if (kind === 'off' && date in data.workdays) fail(`${date} is both a day off and a working day`);
    days.push({ date, kind, name: chineseName(date, value) });
    years.add(Number(date.slice(0, 4)));
  }
}
// In-lieu days (调休的休息日) must already be days off; they carry no extra meaning for us.
for (const date of Object.keys(data.inLieuDays)) {
  if (!(date in data.holidays)) fail(`inLieuDays ${date} is not in holidays`);
}
days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

// The published years are every year from the first to the last that has entries.
const sortedYears = [...years].sort((a, b) => a - b);
const allYears = [];
for (let y = sortedYears[0]; y <= sortedYears[sortedYears.length - 1]; y++) allYears.push(y);
const missing = allYears.filter((y) => !years.has(y));
if (missing.length) fail(`years without entries: ${missing.join(', ')}`);

// One day per line so that diffs between package versions stay readable.
const lines = [
  '{',
  `  "format": "huiyin-calendar/1",`,
  `  "source": ${JSON.stringify(`${pkg.name}@${pkg.version}`)},`,
  `  "years": [${allYears.join(', ')}],`,
  '  "days": [',
  days.map((d) => `    ${JSON.stringify(d)}`).join(',\n'),
  '  ]',
  '}',
  '',
];
const outDir = resolve(here, '..', '..', 'config', 'calendars');
mkdirSync(outDir, { recursive: true });
const outPath = join(outDir, 'cn-official.json');
writeFileSync(outPath, lines.join('\n'));

const perYear = {};
for (const d of days) {
  const y = d.date.slice(0, 4);
  perYear[y] ??= { off: 0, work: 0 };
  perYear[y][d.kind]++;
}
console.log(`wrote ${outPath} from ${pkg.name}@${pkg.version}`);
for (const y of allYears) console.log(`  ${y}: ${perYear[y].off} days off, ${perYear[y].work} make-up working days`);
