// Cases of the case engine (appeals to the 12345 hotline, applications for catalogue items). The
// server lists the transitions the caller may take now; the UI offers exactly those.
import { get, post, type RequestOptions } from '@/utils/request';

export type CaseType = 'enquiry' | 'help' | 'complaint' | 'report' | 'suggestion' | 'praise';
export const CASE_TYPES: CaseType[] = ['enquiry', 'help', 'complaint', 'report', 'suggestion', 'praise'];
/** The types of an application (办件): they follow the handling kind of the item applied for. */
export type ApplicationType = 'new' | 'change' | 'renew' | 'cancel';
export type Channel = 'web' | 'mobile' | 'phone' | 'letter' | 'visit' | 'reception_day' | 'media';
export const CHANNELS: Channel[] = ['web', 'mobile', 'phone', 'letter', 'visit', 'reception_day', 'media'];
/** The channel of a case filed by its requester in this browser: mobile on a phone-sized screen. */
export const onlineChannel = (): Channel => (window.matchMedia('(max-width: 640px)').matches ? 'mobile' : 'web');
/** A window (a period for the other party, e.g. to ask for a review) is 'open' or 'closed', never late. */
export type Level = 'normal' | 'yellow' | 'red' | 'stopped_on_time' | 'stopped_late' | 'open' | 'closed';

export interface Clock {
  name: string;
  label: string;
  unit: string;
  length: number;
  extended: number;
  deadline: string;
  level: Level;
  window?: boolean;
  provisional: boolean;
  remaining: number;
  paused: boolean;
  stopped: boolean;
}

export interface TimelineEvent {
  at: string;
  actor_name: string;
  role: string;
  action: string;
  label: string;
  from_state: string;
  to_state: string;
  note: string;
  public: boolean;
}

export interface Transition {
  name: string;
  label: string;
  required: string[];
}

export interface OrgRef {
  id: number;
  name: string;
}

/** A case opened from this one (a rectification of its bad rating: 'child') or the one it came from ('parent'). */
export interface RelatedCase {
  number: string;
  kind: string;
  state_label: string;
  relation: 'parent' | 'child';
}

export interface Case {
  number: string;
  kind: string;
  type: CaseType | ApplicationType;
  type_label?: string;
  channel: string;
  state: string;
  state_label: string;
  title: string;
  content: string;
  category: string;
  region_code: string;
  address: string;
  requester: { name: string; phone: string; confidential: boolean } | null;
  anonymous?: boolean;
  lead_org: OrgRef | null;
  co_orgs: OrgRef[];
  reply: string;
  satisfaction: number | null;
  resolved?: boolean | null;
  version: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  clocks: Clock[];
  timeline: TimelineEvent[];
  transitions: Transition[];
  attributes?: Record<string, unknown>;
  public_view?: boolean;
  related?: RelatedCase[];
}

export interface NewCase {
  kind: 'appeal';
  type: CaseType;
  channel: Channel;
  title: string;
  content: string;
  category: string;
  region_code: string;
  address: string;
  lat?: number;
  lng?: number;
  anonymous: boolean;
  confidential: boolean;
  requester?: { name: string; phone: string };
  attributes?: Record<string, string | number | string[]>;
}

/** An application for a published catalogue item (`category` = the item code). */
export interface NewApplication {
  kind: 'application';
  type: ApplicationType;
  channel: Channel;
  category: string;
  title: string;
  content: string;
  requester?: { name: string; phone: string };
  /** A renewal (type renew) names the licence it renews (XK…). */
  licence?: string;
}

export interface CaseSummary {
  number: string;
  kind: string;
  type: CaseType | ApplicationType;
  title: string;
  state: string;
  state_label: string;
  lead_org_name: string;
  created_at: string;
  deadline: string | null;
  level: Level | '';
  provisional: boolean;
}

export interface CaseQuery {
  queue?: string;
  kind?: string;
  type?: string;
  state?: string;
  level?: 'red' | 'yellow';
  org_id?: number;
  region_code?: string;
  channel?: string;
  q?: string;
  cursor?: string;
  limit?: number;
}

export interface TransitionFields {
  reply?: string;
  reason?: string;
  reasons?: string;
  note?: string;
  channel?: string;
  lead_org_id?: number;
  co_org_ids?: number[];
  days?: number;
  resolved?: boolean;
  satisfaction?: number;
  target?: string;
}

/** `idempotencyKey` is one uuid per submission attempt, reused when the same attempt is retried. */
export const createCase = (c: NewCase | NewApplication, idempotencyKey: string, opts: RequestOptions = {}) =>
  post<{ case: Case; check_code?: string }>('/cases', c, { ...opts, headers: { 'Idempotency-Key': idempotencyKey } });
export const getCase = (number: string, check_code?: string, opts: RequestOptions = {}) =>
  get<Case>(`/cases/${encodeURIComponent(number)}`, { check_code }, opts);
export const transition = (number: string, name: string, version: number, fields: TransitionFields, opts: RequestOptions = {}) =>
  post<Case>(`/cases/${encodeURIComponent(number)}/transitions/${encodeURIComponent(name)}`, { version, ...fields }, opts);
export const listCases = (q: CaseQuery, opts: RequestOptions = {}) =>
  get<{ items: CaseSummary[]; next_cursor: string | null }>('/cases', q as Record<string, string | number | undefined>, opts);
