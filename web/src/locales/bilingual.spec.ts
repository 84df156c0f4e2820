import { describe, expect, it } from 'vitest';
import { bilingual } from './index';

describe('bilingual labels without a space after a full-width bracket', () => {
  it('splits "专家评审（不计入期限）Expert review (not counted)"', () => {
    const label = '专家评审（不计入期限）Expert review (not counted)';
    expect(bilingual(label, 'zh-CN')).toBe('专家评审（不计入期限）');
    expect(bilingual(label, 'en')).toBe('Expert review (not counted)');
  });

  it('leaves ASCII inside the Chinese half alone', () => {
    expect(bilingual('拨打12345热线', 'en')).toBe('拨打12345热线');
  });
});
