// Sign-in, sign-out, the current user, password change and self-service sign-up.
import { get, post } from '@/utils/request';

export interface Grant {
  role: string;
  scope_org_id: number | null;
}

export interface SessionUser {
  id: number;
  username: string;
  display_name: string;
  kind: 'staff' | 'citizen' | 'enterprise' | 'integration' | string;
  org_id: number | null;
  roles: string[];
  permissions: string[];
  grants: Grant[];
  idle_timeout_minutes?: number;
}

export interface LoginResult {
  user: SessionUser;
  csrf_token: string;
}

export interface SignUpInput {
  username: string;
  display_name: string;
  kind: 'citizen' | 'enterprise';
  password: string;
  phone: string;
  id_number?: string;
  credit_code?: string;
}

export const login = (username: string, password: string) =>
  post<LoginResult>('/auth/login', { username, password }, { silent: true, noAuthRedirect: true });
export const logout = () => post<void>('/auth/logout', undefined, { silent: true, noAuthRedirect: true });
export const me = () => get<SessionUser>('/auth/me', undefined, { silent: true, noAuthRedirect: true });
export const changePassword = (old_password: string, new_password: string) =>
  post<void>('/auth/password', { old_password, new_password });
export const signUp = (input: SignUpInput) => post<unknown>('/auth/signup', input, { silent: true });
