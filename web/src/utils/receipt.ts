// The acceptance receipt (受理回执 / 办件回执) and the one-time notice of missing materials
// (一次性告知, RULES.md §2): what they are made of, computed from what the API answers.
import type { RouteLocationRaw } from 'vue-router';
import type { Case, Clock, TimelineEvent } from '@/api/hotline/case';
import type { MaterialStatus } from '@/api/hotline/attachment';

/** The required materials that have no file yet, in the order of the item's list. */
export function missingMaterials(materials: MaterialStatus[]): string[] {
  return materials.filter((m) => m.required && !m.uploaded).map((m) => m.name);
}

/** The text of the one-time notice: every missing material, one a line, numbered ("" when none). */
export function missingMaterialsNotice(materials: MaterialStatus[]): string {
  return missingMaterials(materials).map((name, i) => `${i + 1}. ${name}`).join('\n');
}

/**
 * The transitions that are a one-time notice of missing materials, and the text field the notice
 * goes in. Prefilled from the materials checklist; the clerk may still edit it.
 */
export const NOTICE_FIELDS: Readonly<Record<string, 'reason' | 'note'>> = { notify_missing: 'reason' };

/** The event that received the case (its intake), or the first event when none is marked. */
export function intakeEvent(timeline: TimelineEvent[]): TimelineEvent | undefined {
  return timeline.find((e) => e.action === 'intake') ?? timeline[0];
}

/** The clocks that still run for the case (not a window for the other party, not stopped). */
export function runningClocks(clocks: Clock[]): Clock[] {
  return clocks.filter((c) => !c.window && !c.stopped);
}

/** The catalogue item an application is for (its attributes name it; the category repeats it). */
export function itemCodeOf(c: Pick<Case, 'kind' | 'category' | 'attributes'>): string {
  if (c.kind !== 'application') return '';
  const code = c.attributes?.item_code;
  return typeof code === 'string' && code ? code : c.category;
}

/** Where the requester tracks the case on the portal. */
export function trackUrl(origin: string, number: string): string {
  return `${origin}/track?number=${encodeURIComponent(number)}`;
}

/**
 * What the receipt page gets through the history entry (never the address or storage): the check
 * code, to read the case without an account (`code`), and whether to print it (`fresh`: only on
 * the receipt made right after intake, as the server shows the code only then).
 */
export interface ReceiptState {
  receiptCode?: string;
  receiptFresh?: boolean;
}

export function receiptLocation(number: string, checkCode?: string, fresh = false): RouteLocationRaw {
  const state: ReceiptState = {};
  if (checkCode) {
    state.receiptCode = checkCode;
    state.receiptFresh = fresh;
  }
  return { name: 'receipt', params: { number }, state: { ...state } };
}

/** The check code in a history state, when there is one. */
export function receiptStateOf(state: unknown): { code: string; fresh: boolean } {
  const s = (state && typeof state === 'object' ? state : {}) as ReceiptState;
  const code = typeof s.receiptCode === 'string' ? s.receiptCode : '';
  return { code, fresh: !!code && s.receiptFresh === true };
}

/**
 * The intake page hands the check code of the case it just received to the case page through the
 * history entry (state `intakeNumber` + `intakeCode`), so the case page can give the fresh receipt.
 */
export function intakeCodeOf(state: unknown, number: string): string {
  const s = (state && typeof state === 'object' ? state : {}) as { intakeNumber?: unknown; intakeCode?: unknown };
  return s.intakeNumber === number && typeof s.intakeCode === 'string' ? s.intakeCode : '';
}
