import i18next from 'i18next';
import ICU from 'i18next-icu';
import { initReactI18next } from 'react-i18next';
import ar from './ar.json';
import en from './en.json';
import ur from './ur.json';

export const LANGUAGES = ['en', 'ar', 'ur'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'corridor.language';

// `k` lives apart from i18next so that pure helpers (and their specs) can name keys.
export { k } from './keys';

function stored(): Language {
  const value = localStorage.getItem(STORAGE_KEY);
  return LANGUAGES.find((language) => language === value) ?? 'en';
}

/** Sets `lang` and `dir` on <html>: Arabic and Urdu are right-to-left, and the layout mirrors with them. */
function applyToDocument(language: string): void {
  document.documentElement.lang = language;
  document.documentElement.dir = i18next.dir(language);
  document.title = i18next.t('app.title');
}

export function setLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
  void i18next.changeLanguage(language);
}

export function initI18n(): typeof i18next {
  i18next.on('languageChanged', applyToDocument);
  void i18next
    .use(ICU)
    .use(initReactI18next)
    .init({
      resources: { en: { translation: en }, ar: { translation: ar }, ur: { translation: ur } },
      lng: stored(),
      fallbackLng: 'en',
      supportedLngs: [...LANGUAGES],
      keySeparator: false,
      nsSeparator: false,
      initAsync: false,
      interpolation: { escapeValue: false },
    });
  return i18next;
}
