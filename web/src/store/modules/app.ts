// UI preferences: the language (zh-CN first, English second), remembered in localStorage.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { i18n, LOCALES, type Locale } from '@/locales';

const KEY = 'huiyin.locale';

function initial(): Locale {
  try {
    const v = localStorage.getItem(KEY);
    if (v && (LOCALES as readonly string[]).includes(v)) return v as Locale;
  } catch {
    /* ignore */
  }
  return 'zh-CN';
}

export const useAppStore = defineStore('app', () => {
  const locale = ref<Locale>(initial());
  function apply(l: Locale) {
    locale.value = l;
    i18n.global.locale.value = l;
    document.documentElement.lang = l;
    try {
      localStorage.setItem(KEY, l);
    } catch {
      /* ignore */
    }
  }
  apply(locale.value);
  return { locale, setLocale: apply };
});
