// The case an intake page received last, in this tab's memory only (never storage): the intake
// page offers its receipt, with the check code the server showed once. Kept per intake page and
// per user, so the next clerk at a shared window never sees the previous clerk's code.
import { ref } from 'vue';

export interface LastIntake {
  user: number | undefined;
  number: string;
  checkCode: string;
}

const last = ref<Record<string, LastIntake>>({});

export function rememberIntake(page: string, entry: LastIntake): void {
  last.value = { ...last.value, [page]: entry };
}

export function lastIntake(page: string, user: number | undefined): LastIntake | null {
  const e = last.value[page];
  return e && e.user === user ? e : null;
}
