import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSigned } from '../app';
import type { WatchEntry } from '../api/types';
import { warningLabel } from '../incident/indicator-notes';
import { k } from '../i18n/keys';
import { WATCH_ENTRIES_KEY } from '../live/live-bridge';
import { message } from '../ui/message';
import { formatRelative, useNow } from '../ui/relative-time';
import { useMessage } from '../ui/use-message';
import { entryRemoved, type WatchEntryPages } from './watch-merge';

/**
 * The watched values, newest first: type, canonical value, note, the warning lists it is on, when it
 * was added. With `canWrite`, each row removes its value after a confirmation in the row itself.
 */
export function WatchEntries({ entries, canWrite }: { entries: WatchEntry[]; canWrite: boolean }) {
  const { t } = useTranslation();
  const say = useMessage();
  const { session } = useSigned();
  const queries = useQueryClient();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [removed, setRemoved] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: async (entry: WatchEntry) => {
      await session.request<void>('DELETE', `/api/v1/watchlist/${encodeURIComponent(entry.id)}`);
      return entry;
    },
    onSuccess: (entry) => {
      setConfirming(null);
      setRemoved(entry.value);
      queries.setQueryData<WatchEntryPages>(WATCH_ENTRIES_KEY, (data) => (data ? entryRemoved(data, entry.id) : data));
    },
  });

  return (
    <>
      <div className="watch-remove-status" aria-live="polite">
        {remove.isError && <p role="alert">{t('watchlist.removeFailed')}</p>}
        {removed && <p>{say(message(k('watchlist.removed'), { value: removed }))}</p>}
      </div>
      <div className="figures">
        <table className="watch-table">
          <caption className="visually-hidden">{t('watchlist.entries')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('watchlist.type')}</th>
              <th scope="col">{t('watchlist.value')}</th>
              <th scope="col">{t('watchlist.note')}</th>
              <th scope="col">{t('watchlist.warnings')}</th>
              <th scope="col">{t('watchlist.addedAt')}</th>
              {canWrite && (
                <th scope="col">
                  <span className="visually-hidden">{t('watchlist.actions')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <EntryRow
                key={entry.id}
                entry={entry}
                canWrite={canWrite}
                confirming={confirming === entry.id}
                removing={remove.isPending && remove.variables.id === entry.id}
                ask={() => setConfirming(entry.id)}
                cancel={() => setConfirming(null)}
                confirm={() => remove.mutate(entry)}
              />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function EntryRow({
  entry,
  canWrite,
  confirming,
  removing,
  ask,
  cancel,
  confirm,
}: {
  entry: WatchEntry;
  canWrite: boolean;
  confirming: boolean;
  removing: boolean;
  ask: () => void;
  cancel: () => void;
  confirm: () => void;
}) {
  const { t, i18n } = useTranslation();
  const say = useMessage();
  const now = useNow();
  const added = new Date(entry.createdAt);
  return (
    <tr data-watch-id={entry.id} data-value={entry.value}>
      <td>
        <bdi dir="ltr" className="indicator-type">
          {entry.type}
        </bdi>
      </td>
      <td>
        <bdi dir="ltr" className="value">
          {entry.value}
        </bdi>
      </td>
      <td className="watch-note">{entry.note}</td>
      <td>
        {entry.warnings.length > 0 && (
          <ul className="warnings">
            {entry.warnings.map((warning) => (
              <li key={warning.list}>{say(warningLabel(warning))}</li>
            ))}
          </ul>
        )}
      </td>
      <td>
        <time dateTime={entry.createdAt} title={t('common.dateTime', { at: added })}>
          {formatRelative(added, added > now ? added : now, i18n.resolvedLanguage ?? 'en')}
        </time>
      </td>
      {canWrite && (
        <td className="watch-actions">
          {confirming ? (
            <span role="group" aria-label={say(message(k('watchlist.confirmRemove'), { value: entry.value }))}>
              <span className="watch-confirm">
                {say(message(k('watchlist.confirmRemove'), { value: entry.value }))}
              </span>{' '}
              {/* The question replaced the button that had the focus: the answer takes it. */}
              <button type="button" disabled={removing} onClick={confirm} autoFocus>
                {t('watchlist.removeYes')}
              </button>{' '}
              <button type="button" disabled={removing} onClick={cancel}>
                {t('watchlist.cancel')}
              </button>
            </span>
          ) : (
            <button
              type="button"
              onClick={ask}
              aria-label={say(message(k('watchlist.removeValue'), { value: entry.value }))}
            >
              {t('watchlist.remove')}
            </button>
          )}
        </td>
      )}
    </tr>
  );
}
