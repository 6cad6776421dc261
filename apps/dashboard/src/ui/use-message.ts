import { useTranslation } from 'react-i18next';
import { translate, type Message } from './message';

/** Translates the sentences pure helpers return, in the current language. */
export function useMessage(): (text: Message) => string {
  const { t } = useTranslation();
  return (text) => translate((key, values) => (values ? t(key, values) : t(key)), text);
}
