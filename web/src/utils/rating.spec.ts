import { describe, expect, it } from 'vitest';
import { emptyRating, ratingFields, ratingProblem, reasonsText, type Rating } from './rating';

const rating = (r: Partial<Rating>): Rating => ({ ...emptyRating(), ...r });

describe('ratings (好差评)', () => {
  it('needs a level first', () => {
    expect(ratingProblem(emptyRating())).toBe('rating.pickLevel');
  });

  it('a good or middling rating needs no reasons, and sends none', () => {
    expect(ratingProblem(rating({ satisfaction: 3 }))).toBe('');
    expect(ratingFields(rating({ satisfaction: 4, reasons: ['slow'], text: '不相干' }))).toEqual({ satisfaction: 4 });
  });

  it('a 差评 of 2 or 1 must say why', () => {
    expect(ratingProblem(rating({ satisfaction: 2 }))).toBe('rating.reasonsRequired');
    expect(ratingProblem(rating({ satisfaction: 1, text: '  ' }))).toBe('rating.reasonsRequired');
    expect(ratingProblem(rating({ satisfaction: 2, reasons: ['trips'] }))).toBe('');
    expect(ratingProblem(rating({ satisfaction: 1, text: '答复较慢' }))).toBe('');
  });

  it('"other" needs the rater\'s own words', () => {
    expect(ratingProblem(rating({ satisfaction: 2, reasons: ['other'] }))).toBe('rating.otherRequired');
    expect(ratingProblem(rating({ satisfaction: 2, reasons: ['other'], text: '窗口排队两小时' }))).toBe('');
  });

  it('sends the common reasons in Chinese, then the rater\'s words, as one text', () => {
    expect(reasonsText(rating({ satisfaction: 2, reasons: ['slow', 'trips'] }))).toBe('办理时间长；多次跑动');
    expect(reasonsText(rating({ satisfaction: 2, reasons: ['guide', 'other'], text: ' 窗口排队两小时 ' }))).toBe('指南不准确；其他：窗口排队两小时');
    expect(ratingFields(rating({ satisfaction: 1, text: '答复较慢' }))).toEqual({ satisfaction: 1, reasons: '答复较慢' });
  });
});
