import type en from './en.json';

export type MessageKey = keyof typeof en;

/** Marks a translation key kept in a table (the key check in locales.spec.ts finds it by this call). */
export const k = <K extends MessageKey>(key: K): K => key;
