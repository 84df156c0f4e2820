// Administrative regions (province, city, counties and districts).
import { get } from '@/utils/request';

export interface Region {
  code: string;
  name: string;
  name_en: string;
  level: 'province' | 'city' | 'county' | string;
  parent_code: string | null;
}

export const listRegions = () => get<{ items: Region[] }>('/regions').then((r) => r.items);
