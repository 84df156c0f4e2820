// Workflow definitions (states and transitions with their labels) per case kind.
import { get, type RequestOptions } from '@/utils/request';

export interface Workflow {
  kind: string;
  label: string;
  states: { name: string; label: string; terminal?: boolean }[];
  transitions: { name: string; label: string; from: string[]; to: string; required?: string[] }[];
  types?: { name: string; label: string }[];
}

export const getWorkflow = (kind: string, opts: RequestOptions = {}) => get<Workflow>(`/workflows/${kind}`, undefined, opts);
export const listWorkflows = (opts: RequestOptions = {}) =>
  get<{ items: { kind: string; label: string; prefix: string }[] }>('/workflows', undefined, opts).then((r) => r.items);
