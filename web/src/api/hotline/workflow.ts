// Workflow definitions (states, clocks and transitions with their labels) per case kind.
import { get, type RequestOptions } from '@/utils/request';
import type { Clock } from './case';

export interface WorkflowClock {
  name: string;
  label: string;
  unit: string;
  length: number;
  window?: boolean;
  /** The most units extensions may add to this clock in total (absent: none allowed). */
  max_extension?: number;
}

export interface WorkflowTransition {
  name: string;
  label: string;
  from: string[];
  to: string;
  required?: string[];
  before_clock?: string;
  effects?: { op: string; clock?: string }[];
}

export interface Workflow {
  kind: string;
  label: string;
  states: { name: string; label: string; terminal?: boolean }[];
  clocks?: WorkflowClock[];
  transitions: WorkflowTransition[];
  types?: { name: string; label: string }[];
}

export const getWorkflow = (kind: string, opts: RequestOptions = {}) => get<Workflow>(`/workflows/${kind}`, undefined, opts);
export const listWorkflows = (opts: RequestOptions = {}) =>
  get<{ items: { kind: string; label: string; prefix: string }[] }>('/workflows', undefined, opts).then((r) => r.items);

/**
 * What an extension step may still add: the clock it extends (its `extend` effect, or the clock it
 * must come before, for a request that is approved later), that clock's `max_extension` less what
 * the case's clock was already extended by. Null when the workflow does not say.
 */
export function extensionAllowance(workflow: Workflow, transition: string, clocks: Clock[]): { left: number; unit: string } | null {
  const tr = workflow.transitions.find((x) => x.name === transition);
  const clockName = tr?.effects?.find((e) => e.op === 'extend')?.clock ?? tr?.before_clock;
  const spec = workflow.clocks?.find((c) => c.name === clockName);
  if (!spec?.max_extension) return null;
  const used = clocks.find((c) => c.name === clockName)?.extended ?? 0;
  return { left: Math.max(0, spec.max_extension - used), unit: spec.unit };
}
