import { describe, expect, it } from 'vitest';
import type { Clock, TimelineEvent } from '@/api/hotline/case';
import {
  intakeCodeOf, intakeEvent, itemCodeOf, missingMaterials, missingMaterialsNotice, receiptLocation, receiptStateOf, runningClocks, trackUrl,
} from './receipt';

const ev = (action: string, at: string): TimelineEvent => ({
  at, action, actor_name: '', role: '', label: '', from_state: '', to_state: '', note: '', public: true,
});
const clock = (name: string, extra: Partial<Clock> = {}): Clock => ({
  name, label: name, unit: 'working_days', length: 5, extended: 0, deadline: '2026-12-04T17:00:00+08:00', level: 'normal',
  provisional: false, remaining: 5, paused: false, stopped: false, ...extra,
});

describe('one-time notice of missing materials', () => {
  const materials = [
    { name: '申请表', required: true, uploaded: 1 },
    { name: '营业执照', required: true, uploaded: 0 },
    { name: '委托书', required: false, uploaded: 0 },
    { name: '施工图审查合格书', required: true, uploaded: 0 },
  ];
  it('lists exactly the required materials with no file, in order', () => {
    expect(missingMaterials(materials)).toEqual(['营业执照', '施工图审查合格书']);
  });
  it('numbers them one a line', () => {
    expect(missingMaterialsNotice(materials)).toBe('1. 营业执照\n2. 施工图审查合格书');
  });
  it('is empty when nothing is missing', () => {
    expect(missingMaterialsNotice(materials.map((m) => ({ ...m, uploaded: 1 })))).toBe('');
    expect(missingMaterialsNotice([])).toBe('');
  });
});

describe('receipt', () => {
  it('takes the intake event as the time received', () => {
    const tl = [ev('attach', '2026-11-27T09:00:00+08:00'), ev('intake', '2026-11-27T08:59:00+08:00')];
    expect(intakeEvent(tl)?.at).toBe('2026-11-27T08:59:00+08:00');
    expect(intakeEvent([ev('dispatch', 'x')])?.action).toBe('dispatch');
    expect(intakeEvent([])).toBeUndefined();
  });
  it('shows only the clocks that run', () => {
    const cs = [clock('acceptance'), clock('rating', { window: true }), clock('decision', { stopped: true }), clock('expiry', { paused: true })];
    expect(runningClocks(cs).map((c) => c.name)).toEqual(['acceptance', 'expiry']);
  });
  it('names the item of an application only', () => {
    expect(itemCodeOf({ kind: 'application', category: 'A', attributes: { item_code: 'B' } })).toBe('B');
    expect(itemCodeOf({ kind: 'application', category: 'A', attributes: {} })).toBe('A');
    expect(itemCodeOf({ kind: 'appeal', category: 'A', attributes: { item_code: 'B' } })).toBe('');
  });
  it('gives the portal track address', () => {
    expect(trackUrl('https://x.example', 'BJ1')).toBe('https://x.example/track?number=BJ1');
  });
  it('passes the check code in the history state, printed only when fresh', () => {
    const loc = receiptLocation('SQ1', 'ABCD', true) as { state: unknown };
    expect(receiptStateOf(loc.state)).toEqual({ code: 'ABCD', fresh: true });
    expect(receiptStateOf((receiptLocation('SQ1', 'ABCD') as { state: unknown }).state)).toEqual({ code: 'ABCD', fresh: false });
    expect(receiptStateOf((receiptLocation('SQ1', '', true) as { state: unknown }).state)).toEqual({ code: '', fresh: false });
    expect(receiptStateOf(null)).toEqual({ code: '', fresh: false });
  });
  it('reads the intake page\'s check code only for the same case', () => {
    expect(intakeCodeOf({ intakeNumber: 'SQ1', intakeCode: 'C' }, 'SQ1')).toBe('C');
    expect(intakeCodeOf({ intakeNumber: 'SQ1', intakeCode: 'C' }, 'SQ2')).toBe('');
    expect(intakeCodeOf(undefined, 'SQ1')).toBe('');
  });
});
