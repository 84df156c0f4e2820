// Organisations: the government, its departments and the counties' (a tree by parent_id).
import { get } from '@/utils/request';

export interface Org {
  id: number;
  code: string;
  name: string;
  name_en: string;
  kind: string;
  parent_id: number | null;
  path: string;
  depth: number;
  active?: boolean;
  phone?: string;
  region_code?: string;
}

export interface OrgPost {
  id: number;
  title: string;
  title_en: string;
  key_post: boolean;
}

export interface OrgNode extends Org {
  children: OrgNode[];
}

export const listOrgs = (opts = {}) => get<{ items: Org[] }>('/orgs', undefined, opts).then((r) => r.items);
export const getOrg = (id: number) => get<Org & { posts?: OrgPost[] }>(`/orgs/${id}`);

/** Builds the tree from the flat list (children in list order). */
export function orgTree(list: Org[]): OrgNode[] {
  const byId = new Map<number, OrgNode>();
  for (const o of list) byId.set(o.id, { ...o, children: [] });
  const roots: OrgNode[] = [];
  for (const n of byId.values()) {
    const parent = n.parent_id != null ? byId.get(n.parent_id) : undefined;
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  return roots;
}
