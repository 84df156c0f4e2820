import { describe, expect, it } from 'vitest';
import { applicationFor, itemName, type ServiceItem } from './item';

const food = {
  code: '000124001000-220500000000-112205000624024356-02',
  name: '食品经营许可（变更）',
  handling_kind: 'change',
  content: { name_en: 'Food business licence (change)' },
} as ServiceItem;

describe('applications for catalogue items', () => {
  it('applies for the item by its code, with its handling kind as the type and its name as the title', () => {
    expect(applicationFor(food, 'web', '  变更经营场所  ')).toEqual({
      kind: 'application', type: 'change', channel: 'web', category: food.code, title: '食品经营许可（变更）', content: '变更经营场所',
    });
  });

  it('records the applicant at the window', () => {
    const a = applicationFor(food, 'visit', '变更负责人', { requester: { name: ' 王五 ', phone: '13900002222 ' } });
    expect(a.requester).toEqual({ name: '王五', phone: '13900002222' });
    expect(a.channel).toBe('visit');
  });

  it('names the licence a renewal renews', () => {
    const renew = { ...food, code: food.code.replace(/-02$/, '-03'), handling_kind: 'renew' } as ServiceItem;
    const a = applicationFor(renew, 'web', '到期延续', { licence: ' xk20261127000001 ' });
    expect(a.type).toBe('renew');
    expect(a.licence).toBe('XK20261127000001');
    expect(applicationFor(food, 'web', 'x', { licence: '' })).not.toHaveProperty('licence');
  });

  it('keeps a title within the 100 characters a case allows', () => {
    expect([...applicationFor({ ...food, name: '许'.repeat(150) }, 'web', 'x').title]).toHaveLength(100);
  });

  it('names the item in English when it has an English name', () => {
    expect(itemName(food, 'en')).toBe('Food business licence (change)');
    expect(itemName(food, 'zh-CN')).toBe('食品经营许可（变更）');
    expect(itemName({ name: '护照' }, 'en')).toBe('护照');
  });
});
