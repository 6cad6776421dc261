import { TLP_LEVELS, type Tlp } from '../visibility/tlp';

/**
 * What Corridor tells an organization outside its live sockets (e-mail, webhooks): the kinds of
 * notification. `alert.*` follow an alert through its states; the others stand alone.
 */
export const NOTIFICATION_TYPES = [
  'alert.triggered',
  'alert.escalated',
  'alert.acknowledged',
  'alert.resolved',
  'deadline.near',
  'deadline.missed',
  'incident.retracted',
  'indicator.retracted',
  'test',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export function isNotificationType(value: unknown): value is NotificationType {
  return typeof value === 'string' && (NOTIFICATION_TYPES as readonly string[]).includes(value);
}

/**
 * One notification for one organization, already worded for it (counterparts it may not see are
 * hidden before this is built). Channels never read more than this.
 *
 * - `id`: deterministic (the source alert or event), so a retried job builds the same notification,
 *   and a webhook's `webhook-id` or a mail's Message-ID repeats with it.
 * - `tlp`: the label of the information in `content` (the incident's TLP).
 * - `content`: the details (title, severity, values …), flat JSON.
 */
export interface Notification {
  id: string;
  type: NotificationType;
  orgId: string;
  tlp: Tlp;
  occurredAt: string;
  incidentId?: string;
  alertId?: string;
  content: Record<string, unknown>;
}

/** What a channel carries of a notification: all of it, or only its type, ids and label. */
export interface ChannelView {
  id: string;
  type: NotificationType;
  tlp: Tlp;
  /** `TLP:AMBER` …: TLP 2.0 asks the label be written before the information it marks. */
  label: string;
  occurredAt: string;
  incidentId?: string;
  alertId?: string;
  /** Absent when the label is above what the channel may carry: the rest is read through the API. */
  content?: Record<string, unknown>;
  /** True when `content` was held back (so a reader knows to fetch it). */
  withheld: boolean;
}

/** The highest TLP a channel carries content of when its owner did not choose one. */
export const DEFAULT_CHANNEL_MAX_TLP: Tlp = 'GREEN';

/** The labels an e-mail or webhook channel may be set to carry (never RED). */
export const CHANNEL_TLP_LEVELS: readonly Tlp[] = TLP_LEVELS.filter((level) => level !== 'RED');

/**
 * The one rule for e-mail and webhooks: content travels only when its label is at or below the
 * channel's highest TLP (`maxTlp`, default GREEN); above it, only the type, ids and label. TLP:RED
 * content never leaves by these channels, whatever `maxTlp` says.
 */
export function channelView(notification: Notification, maxTlp: Tlp = DEFAULT_CHANNEL_MAX_TLP): ChannelView {
  const rank = (tlp: Tlp) => TLP_LEVELS.indexOf(tlp);
  const carries = notification.tlp !== 'RED' && rank(notification.tlp) <= rank(maxTlp);
  return {
    id: notification.id,
    type: notification.type,
    tlp: notification.tlp,
    label: `TLP:${notification.tlp}`,
    occurredAt: notification.occurredAt,
    ...(notification.incidentId ? { incidentId: notification.incidentId } : {}),
    ...(notification.alertId ? { alertId: notification.alertId } : {}),
    ...(carries ? { content: notification.content } : {}),
    withheld: !carries,
  };
}
