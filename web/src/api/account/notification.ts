// The signed-in account's notifications: renewal reminders (licence.renewal_due) and answers to
// its cases (case.replied). `link` is the licence or case number the notification is about.
import { get, post, type RequestOptions } from '@/utils/request';

export interface Notification {
  id: number;
  kind: string;
  subject: string;
  body: string;
  link: string;
  created_at: string;
  read_at: string | null;
}

export const listNotifications = (q: { unread?: boolean; limit?: number } = {}, opts: RequestOptions = {}) =>
  get<{ items: Notification[] }>('/notifications', q, opts).then((r) => r.items);
export const markRead = (id: number, opts: RequestOptions = {}) => post<void>(`/notifications/${id}/read`, undefined, opts);

/** Unread first, then the newest first. */
export function unreadFirst(items: Notification[]): Notification[] {
  return [...items].sort((a, b) => Number(a.read_at !== null) - Number(b.read_at !== null) || b.id - a.id);
}

/** A link that names a licence (XK…) rather than a case. */
export const isLicenceLink = (link: string) => /^XK\d+$/.test(link);
