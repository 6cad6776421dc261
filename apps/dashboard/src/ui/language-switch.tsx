import { useTranslation } from 'react-i18next';
import { k, LANGUAGES, setLanguage, type Language } from '../i18n/i18n';

const NAME = {
  en: k('language.en'),
  ar: k('language.ar'),
  ur: k('language.ur'),
} satisfies Record<Language, string>;

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language">
      <span>{t('language.label')}</span>
      <select
        name="language"
        value={i18n.resolvedLanguage}
        onChange={(event) => setLanguage(event.target.value as Language)}
      >
        {LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>
            {t(NAME[language])}
          </option>
        ))}
      </select>
    </label>
  );
}
