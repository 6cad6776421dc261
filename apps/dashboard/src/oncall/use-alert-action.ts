import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Reply } from '@corridor/realtime';
import { useSigned } from '../app';
import type { RuleAlert } from '../api/types';
import { ONCALL_ALERTS_KEY, ONCALL_PAGED_KEY } from '../live/live-bridge';
import {
  ALERT_FILTERS,
  alertChanged,
  pagedAfterChange,
  type AlertFilter,
  type Paged,
  type RuleAlertPages,
} from './oncall-merge';

export type AlertAction = 'ack' | 'resolve';

/** How long the page waits for the socket's answer before saying the change failed. */
const SOCKET_REPLY_MS = 15_000;

/** Refused by the api, in its words (`code`, `message`). */
export class AlertActionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Acknowledge or resolve an alert: over the live socket (`alert.ack` / `alert.resolve`) while it is
 * connected, otherwise by REST (POST /api/v1/oncall/alerts/:id/ack|resolve) — one use case in the api
 * either way. The alert as it then stands is merged into the page's lists at once; colleagues hear
 * of it through `alert.changed`.
 */
export function useAlertAction() {
  const { live, session } = useSigned();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, action }: { id: string; action: AlertAction }): Promise<RuleAlert> => {
      if (live.socket.connected) {
        const reply = await new Promise<Reply<{ alert: unknown }>>((resolve, reject) => {
          const answered = (error: Error | null, result: Reply<{ alert: unknown }>) =>
            error ? reject(error) : resolve(result);
          const socket = live.socket.timeout(SOCKET_REPLY_MS);
          if (action === 'ack') socket.emit('alert.ack', { id }, answered);
          else socket.emit('alert.resolve', { id }, answered);
        });
        if (!reply.ok) throw new AlertActionError(reply.error.code, reply.error.message);
        return reply.alert as RuleAlert;
      }
      return session.request<RuleAlert>('POST', `/api/v1/oncall/alerts/${encodeURIComponent(id)}/${action}`);
    },
    onSuccess: (alert) => {
      for (const [key, data] of queries.getQueriesData<RuleAlertPages>({ queryKey: ONCALL_ALERTS_KEY })) {
        const filter = key[2] as AlertFilter;
        if (data) queries.setQueryData<RuleAlertPages>(key, alertChanged(data, alert, ALERT_FILTERS[filter]));
      }
      queries.setQueryData<readonly Paged[]>(ONCALL_PAGED_KEY, (notices = []) => pagedAfterChange(notices, alert));
    },
  });
}
