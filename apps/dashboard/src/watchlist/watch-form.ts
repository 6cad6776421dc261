import type { FieldError, IndicatorType, WatchImportRejection } from '../api/types';
import { k } from '../i18n/keys';

/** The fields of the form that adds one value, as `POST /api/v1/watchlist` names them. */
export const WATCH_FIELDS = ['value', 'type', 'note'] as const;
export type WatchField = (typeof WATCH_FIELDS)[number];
export type WatchFieldErrors = Partial<Record<WatchField, string[]>>;

export interface WatchDraft {
  value: string;
  /** Empty: the api recognizes the type. */
  type: IndicatorType | '';
  note: string;
}

/** The body of `POST /api/v1/watchlist`: the value as typed, the type and note only when given. */
export function watchBody(draft: WatchDraft): { value: string; type?: IndicatorType; note?: string } {
  const note = draft.note.trim();
  return {
    value: draft.value.trim(),
    ...(draft.type ? { type: draft.type } : {}),
    ...(note ? { note } : {}),
  };
}

/**
 * A 400's `details.fields`, by the field each is shown beside. A field the form does not have (none
 * is expected) is shown beside the value, so no refusal goes unsaid.
 */
export function watchFieldErrors(fields: readonly FieldError[]): WatchFieldErrors {
  const errors: WatchFieldErrors = {};
  for (const { field, message } of fields) {
    const name = WATCH_FIELDS.find((known) => known === field) ?? 'value';
    (errors[name] ??= []).push(message);
  }
  return errors;
}

/** Why the api refused a line of an imported list, in the reader's language. */
export const REJECTION_REASON = {
  credential: k('watchlist.reason.credential'),
  empty: k('watchlist.reason.empty'),
  too_long: k('watchlist.reason.too_long'),
  unrecognized: k('watchlist.reason.unrecognized'),
  type_mismatch: k('watchlist.reason.type_mismatch'),
  invalid_value: k('watchlist.reason.invalid_value'),
  too_broad: k('watchlist.reason.too_broad'),
} satisfies Record<WatchImportRejection['reason'], string>;
