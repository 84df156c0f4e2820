// The dispatch catalogue: categories with their extra questions, and dispatch suggestions.
import { get, type RequestOptions } from '@/utils/request';

export type AttributeType = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';

export interface CategoryAttribute {
  code: string;
  datatype: AttributeType;
  required: boolean;
  order: number;
  description: string;
  values: { key: string; name: string }[];
}

export interface Category {
  code: string;
  name: string;
  name_en: string;
  description: string;
  group: string;
  parent_code?: string | null;
  attributes: CategoryAttribute[];
}

export interface DispatchSuggestion {
  org_id: number;
  org_name: string;
  reason: string;
}

// The API answers a tree (groups with `children`); pages use a flat list with parent_code.
type CategoryNode = Category & { children?: CategoryNode[] };
export function flattenCategories(nodes: CategoryNode[], parent: string | null = null): Category[] {
  const out: Category[] = [];
  for (const { children, ...c } of nodes) {
    out.push({ ...c, parent_code: c.parent_code ?? parent });
    if (children?.length) out.push(...flattenCategories(children, c.code));
  }
  return out;
}

export const listCategories = (opts: RequestOptions = {}) =>
  get<{ items: CategoryNode[] }>('/categories', undefined, opts).then((r) => flattenCategories(r.items));

interface SuggestionWire {
  unit: { org_id: number; code: string; name: string };
  role: string;
  match: string;
  reason: string;
}
export const suggestOrgs = (category: string, region_code: string, opts: RequestOptions = {}) =>
  get<{ items: SuggestionWire[] }>('/dispatch/suggest', { category, region_code }, opts).then((r) =>
    r.items.map((s): DispatchSuggestion => ({ org_id: s.unit.org_id, org_name: s.unit.name, reason: s.reason })));
