// The signed-in user and the CSRF token. The token is kept in sessionStorage as well, so a reload
// keeps working: after a reload the user is fetched again from /auth/me; if the token was lost the
// user has to sign in again (the server would refuse every change without it).
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import * as session from '@/api/auth/session';
import type { SessionUser } from '@/api/auth/session';

const CSRF_KEY = 'huiyin.csrf';

function readCsrf(): string | null {
  try {
    return sessionStorage.getItem(CSRF_KEY);
  } catch {
    return null;
  }
}

function writeCsrf(v: string | null): void {
  try {
    if (v) sessionStorage.setItem(CSRF_KEY, v);
    else sessionStorage.removeItem(CSRF_KEY);
  } catch {
    /* storage disabled: the token lives in memory only */
  }
}

export const useUserStore = defineStore('user', () => {
  const user = ref<SessionUser | null>(null);
  const csrf = ref<string | null>(readCsrf());
  /** True once we asked the server who we are (or decided there is no session to ask about). */
  const checked = ref(false);

  const signedIn = computed(() => user.value !== null);
  const isStaff = computed(() => user.value?.kind === 'staff');
  const permissions = computed(() => new Set(user.value?.permissions ?? []));
  const roles = computed(() => user.value?.roles ?? []);

  function hasPermi(perms: string | string[]): boolean {
    const list = Array.isArray(perms) ? perms : [perms];
    if (list.length === 0) return true;
    return list.some((p) => permissions.value.has(p));
  }

  async function signIn(username: string, password: string): Promise<SessionUser> {
    const r = await session.login(username, password);
    user.value = r.user;
    csrf.value = r.csrf_token;
    writeCsrf(r.csrf_token);
    checked.value = true;
    return r.user;
  }

  function clear(): void {
    user.value = null;
    csrf.value = null;
    writeCsrf(null);
  }

  async function signOut(): Promise<void> {
    try {
      await session.logout();
    } finally {
      clear();
    }
  }

  /** Restores the session after a reload. Without a CSRF token there is nothing worth restoring. */
  async function restore(): Promise<void> {
    if (checked.value) return;
    if (!csrf.value) {
      checked.value = true;
      return;
    }
    try {
      user.value = await session.me();
    } catch {
      clear();
    } finally {
      checked.value = true;
    }
  }

  return { user, csrf, checked, signedIn, isStaff, permissions, roles, hasPermi, signIn, signOut, restore, clear };
});
