// vue-i18n with the composition API. zh-CN is the first language; English is the second.
import { createI18n } from 'vue-i18n';
import zhCN from './zh-CN';
import en from './en';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export type MessageSchema = typeof zhCN;

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
  missingWarn: false,
  fallbackWarn: false,
});

/**
 * Server labels come as "中文 English" (e.g. "已受理 Received"); shows the half for the language.
 * After a closing full-width bracket the space may be missing ("专家评审（不计入期限）Expert review").
 */
export function bilingual(label: string | undefined | null, locale: string): string {
  if (!label) return '';
  const m = /^([^\x20-\x7e]+(?:[\x20-\x7e]?[^\x20-\x7e]+)*)(?:\s+|(?<=[）】」]))([\x20-\x7e].*)$/.exec(label.trim());
  if (!m) return label;
  return locale.startsWith('zh') ? m[1] : m[2];
}
