import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSigned } from '../app';
import { ApiError, PlainText } from '../api/session';
import type { WatchImportReply } from '../api/types';
import { WATCH_ENTRIES_KEY } from '../live/live-bridge';
import { REJECTION_REASON } from './watch-form';

/**
 * A list of values to watch, one per line (`POST /api/v1/watchlist/import`, text/plain): chosen as a
 * text file (read here, shown for review) or pasted. The api's answer is shown as it is: how many
 * were added, how many were already watched, and each refused line with its number and reason.
 */
export function WatchImport() {
  const { t } = useTranslation();
  const { session } = useSigned();
  const queries = useQueryClient();
  const [text, setText] = useState('');
  const [unreadable, setUnreadable] = useState(false);
  const load = useMutation({
    mutationFn: (lines: string) =>
      session.request<WatchImportReply>('POST', '/api/v1/watchlist/import', new PlainText(lines)),
    onSuccess: () => void queries.invalidateQueries({ queryKey: WATCH_ENTRIES_KEY }),
  });
  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    file.text().then(
      (content) => {
        setUnreadable(false);
        setText(content);
      },
      () => setUnreadable(true),
    );
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() && !load.isPending) load.mutate(text);
  };
  const tooLarge = load.error instanceof ApiError && load.error.status === 413;
  const summary = load.data;

  return (
    <form className="watch-import" onSubmit={submit} aria-labelledby="watch-import-title">
      <h3 id="watch-import-title">{t('watchlist.import')}</h3>
      <p id="watch-import-hint" className="hint">
        {t('watchlist.importHint')}
      </p>
      <div className="field">
        <label htmlFor="watch-import-file">{t('watchlist.importFile')}</label>
        <input id="watch-import-file" name="file" type="file" accept=".txt,.csv,text/plain" onChange={choose} />
        {unreadable && <p role="alert">{t('watchlist.importUnreadable')}</p>}
      </div>
      <div className="field">
        <label htmlFor="watch-import-text">{t('watchlist.importText')}</label>
        <textarea
          id="watch-import-text"
          name="lines"
          dir="ltr"
          rows={6}
          spellCheck={false}
          aria-describedby="watch-import-hint"
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
      </div>
      <button type="submit" disabled={load.isPending || !text.trim()}>
        {load.isPending ? t('watchlist.importing') : t('watchlist.importSubmit')}
      </button>
      <div className="watch-import-result" aria-live="polite">
        {load.isError && <p role="alert">{tooLarge ? t('watchlist.importTooLarge') : t('watchlist.importFailed')}</p>}
        {summary && load.isSuccess && (
          <>
            <dl className="import-counts">
              <div data-count="added">
                <dt>{t('watchlist.importAdded')}</dt>
                <dd>{t('watchlist.number', { count: summary.added })}</dd>
              </div>
              <div data-count="duplicates">
                <dt>{t('watchlist.importDuplicates')}</dt>
                <dd>{t('watchlist.number', { count: summary.duplicates })}</dd>
              </div>
              <div data-count="rejected">
                <dt>{t('watchlist.importRejected')}</dt>
                <dd>{t('watchlist.number', { count: summary.rejected.length })}</dd>
              </div>
            </dl>
            {summary.rejected.length > 0 && (
              <table className="import-rejected">
                <caption>{t('watchlist.rejectedCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('watchlist.rejectedLine')}</th>
                    <th scope="col">{t('watchlist.value')}</th>
                    <th scope="col">{t('watchlist.rejectedReason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {summary.rejected.map((line) => (
                    <tr key={line.line} data-line={line.line}>
                      <td>{t('watchlist.number', { count: line.line })}</td>
                      <td>
                        <bdi dir="ltr" className="value">
                          {line.value}
                        </bdi>
                      </td>
                      <td title={line.message}>{t(REJECTION_REASON[line.reason])}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </div>
    </form>
  );
}
