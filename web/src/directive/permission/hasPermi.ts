// v-hasPermi="['hotline:case:intake']": removes the element unless the user holds one of the
// permissions (the server refuses anyway; this keeps buttons people cannot use out of sight).
import type { Directive } from 'vue';
import { useUserStore } from '@/store/modules/user';

export const hasPermi: Directive<HTMLElement, string | string[]> = {
  mounted(el, binding) {
    const store = useUserStore();
    const value = binding.value;
    if (!value || (Array.isArray(value) && value.length === 0)) return;
    if (!store.hasPermi(value)) el.parentNode?.removeChild(el);
  },
};
