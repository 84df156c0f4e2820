// Licences (许可证) granted through applications: the holder's own, or staff's organisations'. A
// licence within the reminder period is 'renewal_due'; its renewal is an application for the
// item's renewal sub-item (handling kind renew) naming the licence.
import { get, type RequestOptions } from '@/utils/request';
import { searchServices, type ServiceItem } from '@/api/catalogue/item';

export type LicenceStatus = 'valid' | 'renewal_due' | 'expired';

export interface Licence {
  number: string;
  item_code: string;
  item_name: string;
  org_name: string;
  holder_name: string;
  case_number: string;
  /** The renewal application that renewed it last ("" when none). */
  renewed_by: string;
  renewals: number;
  granted_at: string;
  expires_at: string;
  expires_on: string;
  days_left: number;
  reminded_at: string | null;
  status: LicenceStatus;
}

export const listLicences = (q: { expiring_within_days?: number; limit?: number } = {}, opts: RequestOptions = {}) =>
  get<{ items: Licence[] }>('/licences', q, opts).then((r) => r.items);

/** The code an item's sub-items share: all but the last "-NN" part (GB/T 39554.1). */
export const itemStem = (code: string) => code.replace(/-\d+$/, '');

/** The published renewal sub-item of the licence's item, or null when the catalogue has none. */
export async function findRenewalItem(licence: Pick<Licence, 'item_code'>, opts: RequestOptions = {}): Promise<ServiceItem | null> {
  const stem = itemStem(licence.item_code);
  const page = await searchServices({ q: stem, limit: 50 }, opts);
  return page.items.find((i) => i.handling_kind === 'renew' && itemStem(i.code) === stem && i.code !== licence.item_code) ?? null;
}
