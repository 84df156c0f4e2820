// The service catalogue (事项清单): the public service guide (search, one item with every element)
// and the application (办件) a citizen, an enterprise or a window clerk files for an item.
import { get, type RequestOptions } from '@/utils/request';
import type { ApplicationType, Channel, NewApplication } from '@/api/hotline/case';

/** The values the server accepts for the guide's filters (app/services.cc). */
export const LIFE_EVENTS = [
  'birth', 'schooling', 'employment', 'business', 'housing', 'marriage',
  'retirement', 'elderly', 'vehicle', 'health', 'social_security', 'construction',
] as const;
export const ITEM_TYPES = ['licensing', 'public_service', 'confirmation', 'filing', 'other'] as const;
export const ITEM_LEVELS = ['city', 'county', 'township'] as const;

export interface Material {
  name: string;
  form: 'original' | 'copy' | 'electronic';
  copies: number;
  required: boolean;
  condition: string | null;
  template: string | null;
}

export interface Step {
  name: string;
  working_days: number;
  counts: boolean;
}

export interface Fee {
  name: string;
  amount_yuan: number;
  basis: string;
}

/** The item document (GET /services/{code} → `content`): every element of RULES.md §2. */
export interface ItemContent {
  code: string;
  name: string;
  name_en: string;
  main_code: string | null;
  handling_kind: ApplicationType;
  item_type: string;
  legal_basis: string;
  org: string;
  level: string;
  delegated_from: string | null;
  conditions: string[];
  materials: Material[];
  steps: Step[];
  legal_limit_wd: number;
  committed_limit_wd: number;
  fees: Fee[];
  place: string;
  hours: string;
  visits: number;
  online: boolean;
  phones: { consult: string; complaint: string };
  faq: { q: string; a: string }[];
  life_events: string[];
  validity_months: number | null;
}

export interface ServiceItem {
  code: string;
  main_code: string | null;
  name: string;
  org_id: number;
  org_name: string;
  level: string;
  item_type: string;
  handling_kind: ApplicationType;
  status: 'draft' | 'published' | 'abolished';
  version: number;
  published_version: number | null;
  legal_limit_wd: number;
  committed_limit_wd: number;
  life_events: string[];
  updated_at: string;
  published_at: string | null;
  abolished_at: string | null;
  /** Only on GET /services/{code}. */
  content?: ItemContent;
  content_version?: number;
}

export interface ServiceQuery {
  q?: string;
  /** organisation code: the implementing organisation and its subtree */
  org?: string;
  life_event?: string;
  level?: string;
  item_type?: string;
  cursor?: string;
  limit?: number;
}

export interface ServicePage {
  items: ServiceItem[];
  next_cursor: string | null;
}

export const searchServices = (q: ServiceQuery, opts: RequestOptions = {}) =>
  get<ServicePage>('/services', q as Record<string, string | number | undefined>, opts);
export const getService = (code: string, opts: RequestOptions = {}) =>
  get<ServiceItem>(`/services/${encodeURIComponent(code)}`, undefined, opts);

/** The item name in the language shown (the English name when the item has one). */
export function itemName(item: Pick<ServiceItem, 'name'> & { content?: Pick<ItemContent, 'name_en'> }, locale: string): string {
  return !locale.startsWith('zh') && item.content?.name_en ? item.content.name_en : item.name;
}

/**
 * The application for `item` (POST /cases): the item's code as the category, its handling kind as
 * the type, its name as the title. Staff at the window add the applicant's name and phone; a
 * renewal names the licence it renews.
 */
export function applicationFor(item: ServiceItem, channel: Channel, content: string,
  extra: { requester?: { name: string; phone: string }; licence?: string } = {}): NewApplication {
  const { requester, licence } = extra;
  return {
    kind: 'application',
    type: item.handling_kind,
    channel,
    category: item.code,
    title: [...item.name].slice(0, 100).join(''),
    content: content.trim(),
    ...(requester ? { requester: { name: requester.name.trim(), phone: requester.phone.trim() } } : {}),
    ...(licence?.trim() ? { licence: licence.trim().toUpperCase() } : {}),
  };
}
