// The working-day calendar: official days off, make-up working days and local days off.
import { get, post, del } from '@/utils/request';

export interface CalendarDay {
  date: string;
  name: string;
  working: boolean;
  local?: boolean;
}

export interface CalendarYear {
  year: number;
  published: boolean;
  working_days: number;
  exceptions: CalendarDay[];
}

export interface DeadlineAnswer {
  deadline: string;
  provisional: boolean;
}

export const getYear = (year: number) => get<CalendarYear>(`/calendar/years/${year}`);
export const addLocalDay = (date: string, name: string) => post<unknown>('/calendar/local-days', { date, name });
export const removeLocalDay = (date: string) => del<unknown>(`/calendar/local-days/${date}`);
export const deadline = (from: string, length: number, unit: 'workdays' | 'days' | 'hours') =>
  get<DeadlineAnswer>('/calendar/deadline', { from, length, unit });
