// The hash-chained audit trail (audit administrators only).
import { get, post } from '@/utils/request';

export interface AuditEntry {
  seq: number;
  at: string;
  actor_id: number | null;
  actor_name: string;
  role: string;
  org_id: number | null;
  source_addr: string;
  action: string;
  object_type: string;
  object_id: string;
  outcome: string;
  digest: string;
  hash: string;
}

export interface AuditQuery {
  action?: string;
  actor_id?: number;
  from?: string;
  to?: string;
  before_seq?: number;
  limit?: number;
}

export interface VerifyResult {
  ok: boolean;
  rows_checked: number;
  last_seq: number;
  broken_seq: number | null;
  detail: string;
}

export const listAudit = (q: AuditQuery) =>
  get<{ items: AuditEntry[] }>('/audit', q as Record<string, string | number | undefined>).then((r) => r.items);
export const verifyAudit = () => post<VerifyResult>('/audit/verify', {});
