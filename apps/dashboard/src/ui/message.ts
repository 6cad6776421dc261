import type { MessageKey } from '../i18n/keys';

/**
 * A sentence to translate: its key and its values, which may be sentences themselves (a status label
 * inside "changed the status from … to …"). Pure helpers return these; components translate them.
 */
export interface Message {
  key: MessageKey;
  values?: Record<string, MessageValue>;
}
export type MessageValue = string | number | Message;

export const message = (key: MessageKey, values?: Record<string, MessageValue>): Message =>
  values ? { key, values } : { key };

/** First-strong isolate … pop: data inside a sentence keeps its own direction (the text form of `<bdi>`). */
const isolate = (text: string) => `\u2068${text}\u2069`;

/**
 * The sentence in the current language. Values that are data (names, reasons, indicator values) are
 * isolated, so an English organization name inside an Arabic sentence, or the reverse, reads right.
 */
export function translate(t: (key: string, values?: Record<string, unknown>) => string, text: Message): string {
  if (!text.values) return t(text.key);
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(text.values)) {
    values[name] = typeof value === 'object' ? translate(t, value) : typeof value === 'string' ? isolate(value) : value;
  }
  return t(text.key, values);
}
