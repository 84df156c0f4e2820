// Staff accounts: list, create, password reset, unlock, API tokens.
import { get, post } from '@/utils/request';
import type { Grant } from '@/api/auth/session';

export interface User {
  id: number;
  username: string;
  display_name: string;
  kind: string;
  org_id: number | null;
  org_name?: string;
  post_id?: number | null;
  post_title?: string;
  phone: string;
  id_number?: string;
  credit_code?: string;
  active: boolean;
  failed_logins: number;
  locked_until: string | null;
  grants: Grant[];
  created_at: string;
  pii_visible?: boolean;
}

export interface NewUser {
  username: string;
  display_name: string;
  kind: 'staff' | 'integration';
  org_id?: number;
  password: string;
  phone?: string;
  roles: { role: string; scope_org_id?: number }[];
}

export const listUsers = (org_id?: number) =>
  get<{ items: User[] }>('/users', { org_id }).then((r) => r.items);
export const getUser = (id: number) => get<User>(`/users/${id}`);
export const createUser = (u: NewUser) => post<User>('/users', u);
export const resetPassword = (username: string, password: string) =>
  post<void>(`/users/${encodeURIComponent(username)}/password-reset`, { password });
export const unlockUser = (username: string) => post<void>(`/users/${encodeURIComponent(username)}/unlock`, {});
