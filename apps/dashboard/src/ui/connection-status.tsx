import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { k } from '../i18n/i18n';
import type { ConnectionState, LiveConnection } from '../live/live-connection';

const LABEL = {
  connecting: k('connection.connecting'),
  resuming: k('connection.resuming'),
  live: k('connection.live'),
  reconnecting: k('connection.reconnecting'),
  offline: k('connection.offline'),
} satisfies Record<ConnectionState, string>;

export function ConnectionStatus({ live }: { live: LiveConnection }) {
  const { t } = useTranslation();
  const state = useSyncExternalStore(live.subscribe, live.current);
  return (
    <output className={`connection connection-${state}`} aria-live="polite" data-state={state}>
      {t(LABEL[state])}
    </output>
  );
}
