// A rating (好差评): five levels; a 差评 (不满意 2, 非常不满意 1) must say why (GB/T 39735), by
// some of the common reasons and/or the rater's own words, sent as one text in `reasons`.
import zhCN from '@/locales/zh-CN';

export const RATING_REASONS = ['slow', 'trips', 'attitude', 'guide', 'other'] as const;
export type RatingReason = (typeof RATING_REASONS)[number];

export interface Rating {
  satisfaction?: number;
  reasons: RatingReason[];
  text: string;
}

export const emptyRating = (): Rating => ({ satisfaction: undefined, reasons: [], text: '' });
export const isBadRating = (satisfaction: number | undefined) => satisfaction !== undefined && satisfaction <= 2;

/** What the rating still lacks, as an i18n key; '' when it can be sent. */
export function ratingProblem(r: Rating): string {
  if (!r.satisfaction) return 'rating.pickLevel';
  if (!isBadRating(r.satisfaction)) return '';
  const text = r.text.trim();
  if (!r.reasons.length && !text) return 'rating.reasonsRequired';
  if (r.reasons.includes('other') && !text) return 'rating.otherRequired';
  return '';
}

/**
 * The reasons as one text: the common ones in Chinese (the words the rated unit and the statistics
 * use, whatever language the rater reads), then the rater's own ("办理时间长；其他：…").
 */
export function reasonsText(r: Rating): string {
  const parts: string[] = r.reasons.filter((x) => x !== 'other').map((x) => zhCN.rating.reason[x]);
  const text = r.text.trim();
  if (text) parts.push(r.reasons.includes('other') ? `${zhCN.rating.reason.other}：${text}` : text);
  return parts.join('；');
}

/** The fields of a rating step: the satisfaction, and the reasons of a 差评. */
export function ratingFields(r: Rating): { satisfaction?: number; reasons?: string } {
  return isBadRating(r.satisfaction) ? { satisfaction: r.satisfaction, reasons: reasonsText(r) } : { satisfaction: r.satisfaction };
}
