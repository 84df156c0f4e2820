// History-mode routes for the three faces: the portal (public, eager home), the workbench (staff,
// every page a lazy chunk) and the dashboard (leaders). `meta.perms` lists permissions of which the
// user needs one (`module:entity:action`, the same strings the server checks).
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import PortalLayout from '@/layout/PortalLayout.vue';
import PortalHome from '@/views/portal/home/index.vue';
import { useUserStore } from '@/store/modules/user';
import { i18n } from '@/locales';

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title */
    title?: string;
    /** staff only (the workbench and the dashboard) */
    staff?: boolean;
    /** any signed-in user */
    auth?: boolean;
    perms?: string[];
    /** shown in the workbench menu, with this icon name */
    menu?: string;
  }
}

const WorkbenchLayout = () => import('@/layout/WorkbenchLayout.vue');

export const workbenchPages: RouteRecordRaw[] = [
  { path: 'queues', name: 'queues', component: () => import('@/views/hotline/queue/index.vue'),
    meta: { title: 'menu.queues', perms: ['hotline:case:view'], menu: 'List' } },
  { path: 'applications', name: 'applications', component: () => import('@/views/hotline/queue/index.vue'),
    meta: { title: 'menu.applications', perms: ['hotline:case:view'], menu: 'Tickets' }, props: { kind: 'application' } },
  { path: 'cases/:number', name: 'case', component: () => import('@/views/hotline/case/index.vue'),
    meta: { title: 'menu.case', perms: ['hotline:case:view'] }, props: true },
  { path: 'intake', name: 'intake', component: () => import('@/views/hotline/intake/index.vue'),
    meta: { title: 'menu.intake', perms: ['hotline:case:intake'], menu: 'Phone' } },
  { path: 'applications/intake', name: 'applicationIntake', component: () => import('@/views/approval/intake/index.vue'),
    meta: { title: 'menu.applicationIntake', perms: ['hotline:case:intake'], menu: 'Stamp' } },
  { path: 'knowledge', name: 'knowledgeEdit', component: () => import('@/views/knowledge/article/index.vue'),
    meta: { title: 'menu.knowledge', perms: ['knowledge:article:edit', 'hotline:case:intake'], menu: 'Reading' } },
  { path: 'system/orgs', name: 'orgs', component: () => import('@/views/system/org/index.vue'),
    meta: { title: 'menu.orgs', perms: ['system:org:edit', 'system:user:list'], menu: 'OfficeBuilding' } },
  { path: 'system/users', name: 'users', component: () => import('@/views/system/user/index.vue'),
    meta: { title: 'menu.users', perms: ['system:user:list'], menu: 'User' } },
  { path: 'system/calendar', name: 'calendar', component: () => import('@/views/system/calendar/index.vue'),
    meta: { title: 'menu.calendar', perms: ['calendar:day:edit'], menu: 'Calendar' } },
  { path: 'audit', name: 'audit', component: () => import('@/views/audit/log/index.vue'),
    meta: { title: 'menu.audit', perms: ['audit:log:list'], menu: 'Document' } },
  { path: 'password', name: 'password', component: () => import('@/views/system/password/index.vue'),
    meta: { title: 'menu.password', perms: ['account:self:edit'] } },
  { path: 'forbidden', name: 'forbidden', component: () => import('@/views/error/forbidden.vue'),
    meta: { title: 'error.forbiddenTitle' } },
];

const routes: RouteRecordRaw[] = [
  {
    path: '/',
    component: PortalLayout,
    children: [
      { path: '', name: 'home', component: PortalHome, meta: { title: 'portal.title' } },
      { path: 'appeal', name: 'appeal', component: () => import('@/views/portal/appeal/index.vue'), meta: { title: 'portal.file.title' } },
      { path: 'track', name: 'track', component: () => import('@/views/portal/track/index.vue'), meta: { title: 'portal.track.title' } },
      { path: 'services', name: 'services', component: () => import('@/views/portal/services/index.vue'), meta: { title: 'portal.svc.title' } },
      { path: 'services/:code', name: 'service', component: () => import('@/views/portal/services/item.vue'), meta: { title: 'portal.svc.title' }, props: true },
      { path: 'knowledge', name: 'knowledge', component: () => import('@/views/portal/knowledge/index.vue'), meta: { title: 'portal.kb.title' } },
      { path: 'knowledge/:id', name: 'article', component: () => import('@/views/portal/knowledge/article.vue'), meta: { title: 'portal.kb.title' }, props: true },
      { path: 'me', name: 'me', component: () => import('@/views/portal/me/index.vue'), meta: { title: 'portal.me.title', auth: true } },
      { path: 'login', name: 'login', component: () => import('@/views/auth/login/index.vue'), meta: { title: 'auth.signIn' } },
      { path: 'signup', name: 'signup', component: () => import('@/views/auth/signup/index.vue'), meta: { title: 'auth.signUp' } },
    ],
  },
  // A case's receipt, to print: a page of its own (no navigation), for staff and requesters alike;
  // the server decides what this user may read (an anonymous filer passes the check code in the
  // history entry, see utils/receipt.ts).
  { path: '/receipt/:number', name: 'receipt', component: () => import('@/views/hotline/receipt/index.vue'), meta: { title: 'receipt.print' }, props: true },
  { path: '/workbench/login', name: 'staffLogin', component: () => import('@/views/auth/login/index.vue'), meta: { title: 'auth.staffSignIn' }, props: { staff: true } },
  {
    path: '/workbench',
    component: WorkbenchLayout,
    meta: { staff: true },
    redirect: { name: 'queues' },
    children: workbenchPages,
  },
  {
    path: '/dashboard',
    component: WorkbenchLayout,
    meta: { staff: true },
    children: [
      { path: '', name: 'dashboard', component: () => import('@/views/dashboard/indicator/index.vue'),
        meta: { title: 'menu.dashboard', perms: ['dashboard:indicator:view'], menu: 'DataAnalysis' } },
    ],
  },
  { path: '/:pathMatch(.*)*', name: 'notFound', component: () => import('@/views/error/not-found.vue'), meta: { title: 'error.notFoundTitle' } },
];

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to) => {
  const store = useUserStore();
  const needsStaff = to.matched.some((r) => r.meta.staff);
  const needsAuth = needsStaff || to.matched.some((r) => r.meta.auth);
  if (needsAuth || store.csrf) await store.restore();
  if (needsAuth && !store.signedIn) {
    return { name: needsStaff ? 'staffLogin' : 'login', query: { redirect: to.fullPath } };
  }
  if (needsStaff && !store.isStaff) return { name: 'home' };
  const perms = to.meta.perms;
  if (perms && perms.length && !store.hasPermi(perms)) return { name: 'forbidden' };
  return true;
});

router.afterEach((to) => {
  const key = to.meta.title;
  const t = i18n.global.t;
  document.title = key ? `${t(key)} · ${t('app.name')}` : t('app.name');
});

/** Where a staff member lands after signing in: the first page their permissions open. */
export function staffHome(hasPermi: (p: string[]) => boolean): string {
  for (const p of workbenchPages) {
    if (p.meta?.menu && p.meta.perms && hasPermi(p.meta.perms)) return `/workbench/${p.path}`;
  }
  if (hasPermi(['dashboard:indicator:view'])) return '/dashboard';
  return '/workbench/password';
}
