// Performance indicators for the leaders' dashboard.
import { get, type RequestOptions } from '@/utils/request';

export interface UnitIndicator {
  org_id: number;
  org_name: string;
  dispatched: number;
  signed_on_time: number;
  response_rate: number;
  called_back: number;
  resolved: number;
  resolution_rate: number;
  rated: number;
  satisfied: number;
  satisfaction_rate: number;
  on_time_rate: number;
  overdue: number;
  returns: number;
  extensions: number;
  redo: number;
}

export interface Indicators {
  units: UnitIndicator[];
  by_day: { date: string; channel: string; count: number }[];
  by_state: { state: string; count: number }[];
  by_category: { category: string; count: number }[];
  by_region: { region_code: string; count: number }[];
  definitions: Record<string, string>;
}

export const getIndicators = (q: { from?: string; to?: string; region_code?: string }, opts: RequestOptions = {}) =>
  get<Indicators>('/indicators', q, opts);
