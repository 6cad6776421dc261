import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useSigned } from '../app';
import type { EscalationPolicy, NotificationRule, OnCallNowReply, RuleAlertPage, WebhookEndpoint } from '../api/types';
import { ONCALL_PAGED_KEY, oncallAlertsKey } from '../live/live-bridge';
import { ALERT_FILTERS, type AlertFilter, type Paged } from './oncall-merge';

const PAGE = 100;
export const ONCALL_NOW_KEY = ['oncall', 'now'] as const;
export const RULES_KEY = ['oncall', 'rules'] as const;
export const POLICIES_KEY = ['oncall', 'policies'] as const;
export const ENDPOINTS_KEY = ['webhooks', 'endpoints'] as const;

/**
 * The alerts the organization's rules raised (`alerts:read`) in the states of `filter`, newest first
 * as the api lists them, a page at a time. Read once by REST; `alert.changed` and `alert.paged` then
 * change it in the cache (see LiveBridge).
 */
export function useRuleAlerts(filter: AlertFilter) {
  const { session } = useSigned();
  return useInfiniteQuery({
    queryKey: oncallAlertsKey(filter),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ state: ALERT_FILTERS[filter].join(','), limit: String(PAGE) });
      if (pageParam) params.set('cursor', pageParam);
      return session.request<RuleAlertPage>('GET', `/api/v1/oncall/alerts?${params.toString()}`);
    },
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** Who is on call now in each of the organization's schedules (any person of it); read again every minute. */
export function useOnCallNow() {
  const { session } = useSigned();
  return useQuery({
    queryKey: ONCALL_NOW_KEY,
    queryFn: () => session.request<OnCallNowReply>('GET', '/api/v1/oncall/now'),
    refetchInterval: 60_000,
  });
}

/** Pages that reached this person, newest first (kept in the cache only, from `alert.paged`). */
export function usePagedNotices(): readonly Paged[] {
  const query = useQuery<readonly Paged[]>({
    queryKey: ONCALL_PAGED_KEY,
    queryFn: () => [],
    enabled: false,
    initialData: [],
  });
  return query.data;
}

/** The organization's notification rules (`oncall:manage`), oldest first. */
export function useRules(enabled: boolean) {
  const { session } = useSigned();
  return useQuery({
    queryKey: RULES_KEY,
    enabled,
    queryFn: async () =>
      (await session.request<{ items: NotificationRule[] }>('GET', '/api/v1/notification-rules')).items,
  });
}

/** The organization's escalation policies, for the rule form. */
export function usePolicies(enabled: boolean) {
  const { session } = useSigned();
  return useQuery({
    queryKey: POLICIES_KEY,
    enabled,
    queryFn: () => session.request<EscalationPolicy[]>('GET', '/api/v1/oncall/policies'),
  });
}

/** The organization's webhook endpoints (`webhooks:manage`), for the rule form. */
export function useWebhookEndpoints(enabled: boolean) {
  const { session } = useSigned();
  return useQuery({
    queryKey: ENDPOINTS_KEY,
    enabled,
    queryFn: () => session.request<WebhookEndpoint[]>('GET', '/api/v1/webhooks/endpoints'),
  });
}
