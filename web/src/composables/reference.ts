// Reference data loaded once per page load and shared: regions, organisations, categories, workflows.
import { ref } from 'vue';
import { listRegions, type Region } from '@/api/system/region';
import { listOrgs, type Org } from '@/api/system/org';
import { listCategories, type Category } from '@/api/dispatch/category';
import { getWorkflow, type Workflow } from '@/api/hotline/workflow';
import { ApiError, errorText } from '@/utils/request';

const regions = ref<Region[]>([]);
const orgs = ref<Org[]>([]);
const categories = ref<Category[]>([]);
/** Why the categories are unavailable (e.g. the catalogue API has not been deployed yet). */
const categoriesError = ref('');
let regionsP: Promise<void> | null = null;
let orgsP: Promise<void> | null = null;
let categoriesP: Promise<void> | null = null;
const workflows = new Map<string, Promise<Workflow | null>>();

export function useRegions() {
  if (!regionsP) {
    regionsP = listRegions()
      .then((r) => { regions.value = r; })
      .catch(() => { regionsP = null; });
  }
  return { regions, ready: regionsP };
}

export function useOrgs() {
  if (!orgsP) {
    orgsP = listOrgs()
      .then((r) => { orgs.value = r; })
      .catch(() => { orgsP = null; });
  }
  return { orgs, ready: orgsP };
}

export function useCategories() {
  if (!categoriesP) {
    categoriesP = listCategories({ silent: true })
      .then((r) => { categories.value = r; categoriesError.value = ''; })
      .catch((e: unknown) => {
        categoriesError.value = e instanceof ApiError && e.notFound ? 'notDeployed' : errorText(e);
        categoriesP = null;
      });
  }
  return { categories, categoriesError, ready: categoriesP };
}

/** A case kind's workflow definition, fetched once; null when it cannot be read (callers fall back). */
export function loadWorkflow(kind: string): Promise<Workflow | null> {
  let p = workflows.get(kind);
  if (!p) {
    p = getWorkflow(kind, { silent: true }).catch(() => {
      workflows.delete(kind);
      return null;
    });
    workflows.set(kind, p);
  }
  return p;
}

export function regionName(code: string, locale: string): string {
  const r = regions.value.find((x) => x.code === code);
  if (!r) return code;
  return locale.startsWith('zh') ? r.name : r.name_en || r.name;
}

export function categoryName(code: string, locale: string): string {
  const c = categories.value.find((x) => x.code === code);
  if (!c) return code;
  return locale.startsWith('zh') ? c.name : c.name_en || c.name;
}

export function orgName(o: Org, locale: string): string {
  return locale.startsWith('zh') ? o.name : o.name_en || o.name;
}
