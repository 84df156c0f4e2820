import { describe, expect, it } from 'vitest';
import zhCN from './zh-CN';
import en from './en';
import { bilingual } from './index';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('locales', () => {
  it('English has exactly the keys of Chinese, none empty', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
    for (const k of keys(en)) expect(k.split('.').reduce((o: any, p) => o[p], en), k).not.toBe(''); // eslint-disable-line @typescript-eslint/no-explicit-any
  });

  it('every t() key used in the sources exists', () => {
    const files = import.meta.glob('../**/*.{vue,ts}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
    const known = new Set(keys(zhCN));
    const missing: string[] = [];
    for (const [file, src] of Object.entries(files)) {
      if (file.includes('.spec.')) continue;
      for (const m of src.matchAll(/\bt\(\s*'([a-zA-Z]+(?:\.[a-zA-Z0-9_]+)+)'/g)) if (!known.has(m[1])) missing.push(`${file}: ${m[1]}`);
      for (const m of src.matchAll(/(?:title|text|label): '([a-z]+\.[a-zA-Z.]+)'/g)) if (!known.has(m[1])) missing.push(`${file}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });

  it('splits the server\'s bilingual labels by language', () => {
    expect(bilingual('已受理 Received', 'zh-CN')).toBe('已受理');
    expect(bilingual('已受理 Received', 'en')).toBe('Received');
    expect(bilingual('直接答复 Answer from the knowledge base', 'en')).toBe('Answer from the knowledge base');
    expect(bilingual('待回访 To call back', 'zh-CN')).toBe('待回访');
    expect(bilingual('intake', 'en')).toBe('intake');
    expect(bilingual('', 'en')).toBe('');
  });
});
