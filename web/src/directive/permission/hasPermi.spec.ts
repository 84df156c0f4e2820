import { describe, expect, it } from 'vitest';
import { createApp, h, withDirectives } from 'vue';
import { createPinia, setActivePinia } from 'pinia';
import { hasPermi } from './hasPermi';
import { useUserStore } from '@/store/modules/user';

function render(perms: string[]) {
  const pinia = createPinia();
  setActivePinia(pinia);
  const store = useUserStore();
  store.user = { id: 1, username: 'agent1', display_name: 'A', kind: 'staff', org_id: 25, roles: ['hotline_agent'], permissions: perms, grants: [] };
  const root = document.createElement('div');
  const app = createApp({
    render: () => h('div', [
      withDirectives(h('button', { id: 'intake' }), [[hasPermi, ['hotline:case:intake']]]),
      withDirectives(h('button', { id: 'users' }), [[hasPermi, ['system:user:list', 'system:user:edit']]]),
    ]),
  });
  app.use(pinia);
  app.mount(root);
  return root;
}

describe('v-hasPermi', () => {
  it('keeps the buttons the user may use and removes the others', () => {
    const root = render(['hotline:case:intake', 'hotline:case:view']);
    expect(root.querySelector('#intake')).not.toBeNull();
    expect(root.querySelector('#users')).toBeNull();
  });
  it('any one of the listed permissions is enough', () => {
    const root = render(['system:user:edit']);
    expect(root.querySelector('#users')).not.toBeNull();
    expect(root.querySelector('#intake')).toBeNull();
  });
});
