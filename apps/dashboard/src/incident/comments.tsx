import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSigned } from '../app';
import type { Comment } from '../api/types';
import { commentsKey } from '../live/live-bridge';

export function Comments({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const { session } = useSigned();
  const queries = useQueryClient();
  const [text, setText] = useState('');
  const comments = useQuery({
    queryKey: commentsKey(incidentId),
    queryFn: () => session.request<Comment[]>('GET', `/api/v1/incidents/${encodeURIComponent(incidentId)}/comments`),
  });
  const add = useMutation({
    mutationFn: (body: string) =>
      session.request<Comment>('POST', `/api/v1/incidents/${encodeURIComponent(incidentId)}/comments`, { text: body }),
    onSuccess: (comment) => {
      setText('');
      queries.setQueryData<Comment[]>(commentsKey(incidentId), (list) =>
        list && !list.some((c) => c.id === comment.id) ? [...list, comment] : list,
      );
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) add.mutate(text);
  };

  return (
    <section className="comments">
      <h2>{t('comments.title')}</h2>
      {comments.isSuccess && comments.data.length === 0 && <p>{t('comments.empty')}</p>}
      <ol>
        {(comments.data ?? []).map((comment) => (
          <li key={comment.id}>
            <span className="org">{comment.organization.name}</span>{' '}
            <time dateTime={comment.createdAt}>{t('common.dateTime', { at: new Date(comment.createdAt) })}</time>
            <p dir="auto">{comment.text}</p>
          </li>
        ))}
      </ol>
      <form onSubmit={submit}>
        <label>
          <span>{t('comments.add')}</span>
          <textarea
            name="comment"
            dir="auto"
            value={text}
            maxLength={10_000}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        {add.isError && <p role="alert">{t('comments.failed')}</p>}
        <button type="submit" disabled={add.isPending || !text.trim()}>
          {t('comments.submit')}
        </button>
      </form>
    </section>
  );
}
