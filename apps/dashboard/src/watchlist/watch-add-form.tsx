import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSigned } from '../app';
import { INDICATOR_TYPES } from '../api/domain';
import { ApiError } from '../api/session';
import type { IndicatorType, WatchEntry } from '../api/types';
import { k } from '../i18n/keys';
import { WATCH_ENTRIES_KEY } from '../live/live-bridge';
import { message } from '../ui/message';
import { useMessage } from '../ui/use-message';
import {
  WATCH_FIELDS,
  watchBody,
  watchFieldErrors,
  type WatchDraft,
  type WatchField,
  type WatchFieldErrors,
} from './watch-form';

const EMPTY: WatchDraft = { value: '', type: '', note: '' };
const controlId = (field: WatchField) => `watch-${field}`;
const errorsId = (field: WatchField) => `watch-${field}-errors`;

/** `aria-describedby` and `aria-invalid` of a control: its hint, and its errors when it has any. */
function described(field: WatchField, errors: WatchFieldErrors, hint?: string) {
  const ids = [hint, errors[field] ? errorsId(field) : undefined].filter(Boolean);
  return {
    'aria-describedby': ids.length > 0 ? ids.join(' ') : undefined,
    'aria-invalid': errors[field] ? true : undefined,
  };
}

function FieldErrors({ field, errors }: { field: WatchField; errors: WatchFieldErrors }) {
  const list = errors[field];
  if (!list) return null;
  return (
    <ul id={errorsId(field)} className="field-errors" data-field={field}>
      {list.map((error, index) => (
        <li key={index}>{error}</li>
      ))}
    </ul>
  );
}

/**
 * Watch one value (`POST /api/v1/watchlist`), in any form the api reads, with an optional type and
 * note. Each field the api refuses is said beside it, and the first one takes the focus.
 */
export function WatchAddForm() {
  const { t } = useTranslation();
  const say = useMessage();
  const { session } = useSigned();
  const queries = useQueryClient();
  const [draft, setDraft] = useState<WatchDraft>(EMPTY);
  const [errors, setErrors] = useState<WatchFieldErrors>({});
  const [done, setDone] = useState<{ entry: WatchEntry; known: boolean } | null>(null);
  const add = useMutation({
    mutationFn: async (body: WatchDraft) => {
      // 201 for a new entry, 200 with the stored one when the value was already watched.
      const listed = queries.getQueryData<{ pages: Array<{ items: WatchEntry[] }> }>(WATCH_ENTRIES_KEY);
      const entry = await session.request<WatchEntry>('POST', '/api/v1/watchlist', watchBody(body));
      const known = listed?.pages.some((page) => page.items.some((item) => item.id === entry.id)) ?? false;
      return { entry, known };
    },
    onSuccess: (result) => {
      setDone(result);
      setErrors({});
      setDraft(EMPTY);
      void queries.invalidateQueries({ queryKey: WATCH_ENTRIES_KEY });
    },
    onError: (error) => {
      setDone(null);
      const fields = error instanceof ApiError && error.status === 400 ? (error.details.fields ?? []) : [];
      const found = watchFieldErrors(fields);
      setErrors(found);
      const first = WATCH_FIELDS.find((field) => found[field]);
      if (first) document.getElementById(controlId(first))?.focus();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!add.isPending) add.mutate(draft);
  };
  const refused = Object.keys(errors).length > 0;

  return (
    <form className="watch-add" onSubmit={submit} aria-labelledby="watch-add-title" noValidate>
      <h3 id="watch-add-title">{t('watchlist.add')}</h3>
      <div className="field">
        <label htmlFor={controlId('value')}>{t('watchlist.value')}</label>
        <input
          id={controlId('value')}
          name="value"
          dir="ltr"
          required
          autoComplete="off"
          spellCheck={false}
          value={draft.value}
          onChange={(event) => setDraft({ ...draft, value: event.target.value })}
          {...described('value', errors, 'watch-value-hint')}
        />
        <p id="watch-value-hint" className="hint">
          {t('watchlist.valueHint')}
        </p>
        <FieldErrors field="value" errors={errors} />
      </div>
      <div className="field">
        <label htmlFor={controlId('type')}>{t('watchlist.type')}</label>
        <select
          id={controlId('type')}
          name="type"
          value={draft.type}
          onChange={(event) => setDraft({ ...draft, type: event.target.value as IndicatorType | '' })}
          {...described('type', errors)}
        >
          <option value="">{t('watchlist.anyType')}</option>
          {INDICATOR_TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
        <FieldErrors field="type" errors={errors} />
      </div>
      <div className="field">
        <label htmlFor={controlId('note')}>{t('watchlist.noteField')}</label>
        <input
          id={controlId('note')}
          name="note"
          value={draft.note}
          onChange={(event) => setDraft({ ...draft, note: event.target.value })}
          {...described('note', errors)}
        />
        <FieldErrors field="note" errors={errors} />
      </div>
      <button type="submit" disabled={add.isPending}>
        {add.isPending ? t('watchlist.adding') : t('watchlist.addSubmit')}
      </button>
      <div className="watch-add-status" aria-live="polite">
        {refused && <p role="alert">{t('watchlist.addRefused')}</p>}
        {add.isError && !refused && <p role="alert">{t('watchlist.addFailed')}</p>}
        {done && (
          <p className="watch-added">
            {say(message(done.known ? k('watchlist.already') : k('watchlist.added'), { value: done.entry.value }))}
          </p>
        )}
      </div>
    </form>
  );
}
