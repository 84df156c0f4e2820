import { describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import { toCsv, toXlsx } from './export';

describe('export', () => {
  it('writes CSV with a BOM, quoting, and no formulas', () => {
    const csv = toCsv([{ name: 'units', rows: [['单位', '响应率'], ['住建局, 二科', 95.5], ['=HYPERLINK("x")', 1]] }]);
    expect(csv.startsWith('\ufeff')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('单位,响应率');
    expect(lines[1]).toBe('"住建局, 二科",95.5');
    expect(lines[2]).toBe('"\'=HYPERLINK(""x"")",1');
  });

  it('writes an XLSX workbook with one sheet per table', async () => {
    const bytes = await toXlsx([
      { name: '各单位指标', rows: [['单位', '派单数'], ['住建局', 3]] },
      { name: 'by/day', rows: [['2026-11-27', 'phone', 2]] },
    ]);
    const files = unzipSync(bytes);
    expect(Object.keys(files)).toContain('xl/worksheets/sheet2.xml');
    const wb = strFromU8(files['xl/workbook.xml']);
    expect(wb).toContain('name="各单位指标"');
    expect(wb).toContain('name="by day"');
    const sheet1 = strFromU8(files['xl/worksheets/sheet1.xml']);
    expect(sheet1).toContain('<c r="B2"><v>3</v></c>');
    expect(sheet1).toContain('<t xml:space="preserve">住建局</t>');
  });
});
