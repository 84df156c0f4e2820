// Small formatting helpers shared by pages (dates in the city's time, durations, levels).

/** "2026-11-27 09:30" from an ISO timestamp (shown as the server wrote it: local time +08:00). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  return iso.slice(0, 10);
}

/** Local calendar date as YYYY-MM-DD. */
export function isoDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Splits seconds into days/hours/minutes for "time left" (negative = overdue). */
export function splitDuration(seconds: number): { overdue: boolean; d: number; h: number; m: number } {
  const overdue = seconds < 0;
  let s = Math.abs(Math.trunc(seconds));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  return { overdue, d, h, m: Math.floor(s / 60) };
}

export function percent(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  const x = v <= 1 ? v * 100 : v;
  return `${x.toFixed(1)}%`;
}

/** Element Plus tag type for a deadline level. */
export function levelTagType(level: string): 'success' | 'warning' | 'danger' | 'info' {
  switch (level) {
    case 'normal':
    case 'stopped_on_time':
      return 'success';
    case 'yellow':
      return 'warning';
    case 'red':
    case 'stopped_late':
      return 'danger';
    default:
      return 'info';
  }
}

/** Masks a phone number for display when the server did not (keeps the first 3 and last 4). */
export function maskPhone(p: string): string {
  if (!p || p.includes('*')) return p;
  return p.length >= 7 ? `${p.slice(0, 3)}****${p.slice(-4)}` : p;
}

/** A file size for people: "812 B", "35.2 KB", "4.8 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
