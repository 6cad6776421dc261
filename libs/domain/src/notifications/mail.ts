import { createHash } from 'node:crypto';
import type { Tlp } from '../visibility/tlp';
import type { ChannelView, NotificationType } from './notification';

/** The languages Corridor writes to people in (the dashboard's too): English, Arabic, Urdu. */
export const LANGUAGES = ['en', 'ar', 'ur'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A person's language when they chose none. */
export const DEFAULT_LANGUAGE: Language = 'en';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Arabic and Urdu are written right to left. */
export function isRightToLeft(language: Language): boolean {
  return language === 'ar' || language === 'ur';
}

/** Who an e-mail goes to: an address, the language to write in, and the highest TLP it may carry (default GREEN). */
export interface MailRecipient {
  address: string;
  language: Language;
  maxTlp?: Tlp;
}

/** Where a mail points its reader (absent: no link). */
export interface MailLinks {
  incidentUrl?: string;
  alertUrl?: string;
}

/** A rendered mail: subject, plain text and HTML alternatives. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** Where a queued mail stands: `pending` until sent, or `failed` after the last attempt or a permanent refusal. */
export type MailStatus = 'pending' | 'sent' | 'failed';

/** One attempt at handing a message to the SMTP server. */
export interface MailAttempt {
  at: Date;
  ok: boolean;
  /** The server's reply code when it answered (e.g. 451), else absent. */
  responseCode?: number;
  error?: string;
}

/**
 * One e-mail of one notification to one address. It holds only the channel view (what the recipient
 * may receive), never the notification itself, so content above the recipient's TLP is not even stored.
 */
export interface MailMessage {
  /** `mailMessageId(...)`: the same notification to the same address is one message. */
  id: string;
  notificationId: string;
  orgId: string;
  address: string;
  language: Language;
  view: ChannelView;
  status: MailStatus;
  attempts: MailAttempt[];
  createdAt: Date;
  sentAt: Date | null;
  failedAt: Date | null;
  lastError: string | null;
}

/**
 * The deterministic id of the message of one notification (organization, id and type) to one address
 * (compared lower-cased): `mail-` and 32 hex digits of a SHA-256, acceptable as a BullMQ job id and as
 * the left part of a Message-ID (RFC 5322 §3.6.4).
 */
export function mailMessageId(
  notification: { orgId: string; id: string; type: NotificationType },
  address: string,
): string {
  const key = [notification.orgId, notification.id, notification.type, address.trim().toLowerCase()].join('\n');
  return `mail-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

/** The Message-ID header of a message: `<id@domain>`, the domain that of the sender (RFC 5322 §3.6.4). */
export function mailMessageIdHeader(messageId: string, from: string): string {
  const domain = /@([^\s@<>]+)>?\s*$/.exec(from)?.[1] ?? 'corridor.invalid';
  return `<${messageId}@${domain}>`;
}

interface Wording {
  headline: Record<NotificationType, string>;
  incident: string;
  alert: string;
  occurredAt: string;
  details: string;
  open: string;
  openInbox: string;
  /** `{label}` is replaced by the label. */
  withheld: string;
  reference: string;
}

/** The words of a mail in each language (short and plain). */
const WORDING: Record<Language, Wording> = {
  en: {
    headline: {
      'alert.triggered': 'Alert raised',
      'alert.escalated': 'Alert escalated',
      'alert.acknowledged': 'Alert acknowledged',
      'alert.resolved': 'Alert resolved',
      'deadline.near': 'Deadline approaching',
      'deadline.missed': 'Deadline missed',
      'incident.retracted': 'Incident retracted',
      'indicator.retracted': 'Indicator retracted',
      test: 'Test message',
    },
    incident: 'Incident',
    alert: 'Alert',
    occurredAt: 'When',
    details: 'Details',
    open: 'Open the incident in Corridor',
    openInbox: 'Open the alert in Corridor',
    withheld: 'The details are marked {label}, above what this address may receive by e-mail. Read them in Corridor.',
    reference: 'Reference',
  },
  ar: {
    headline: {
      'alert.triggered': 'تنبيه جديد',
      'alert.escalated': 'تصعيد تنبيه',
      'alert.acknowledged': 'تم الإقرار بالتنبيه',
      'alert.resolved': 'تم حل التنبيه',
      'deadline.near': 'موعد نهائي يقترب',
      'deadline.missed': 'فات الموعد النهائي',
      'incident.retracted': 'تم سحب الحادث',
      'indicator.retracted': 'تم سحب المؤشر',
      test: 'رسالة اختبار',
    },
    incident: 'الحادث',
    alert: 'التنبيه',
    occurredAt: 'الوقت',
    details: 'التفاصيل',
    open: 'افتح الحادث في Corridor',
    openInbox: 'افتح التنبيه في Corridor',
    withheld: 'التفاصيل مصنفة {label}، وهذا أعلى مما يجوز إرساله إلى هذا العنوان بالبريد. اقرأها في Corridor.',
    reference: 'المرجع',
  },
  ur: {
    headline: {
      'alert.triggered': 'نیا الرٹ',
      'alert.escalated': 'الرٹ آگے بڑھایا گیا',
      'alert.acknowledged': 'الرٹ تسلیم کر لیا گیا',
      'alert.resolved': 'الرٹ حل ہو گیا',
      'deadline.near': 'آخری تاریخ قریب ہے',
      'deadline.missed': 'آخری تاریخ گزر گئی',
      'incident.retracted': 'واقعہ واپس لے لیا گیا',
      'indicator.retracted': 'اشارہ واپس لے لیا گیا',
      test: 'آزمائشی پیغام',
    },
    incident: 'واقعہ',
    alert: 'الرٹ',
    occurredAt: 'وقت',
    details: 'تفصیلات',
    open: 'واقعہ Corridor میں کھولیں',
    openInbox: 'الرٹ Corridor میں کھولیں',
    withheld: 'تفصیلات {label} کے تحت ہیں، جو اس پتے پر ای میل سے بھیجنے کی حد سے اوپر ہے۔ انہیں Corridor میں پڑھیں۔',
    reference: 'حوالہ',
  },
};

/**
 * The colours FIRST's TLP 2.0 standard gives each label (text on a black background): RED
 * #FF2B2B, AMBER #FFC000, GREEN #33FF00, CLEAR #FFFFFF.
 */
const LABEL_COLOUR: Record<Tlp, string> = {
  CLEAR: '#FFFFFF',
  GREEN: '#33FF00',
  AMBER: '#FFC000',
  'AMBER+STRICT': '#FFC000',
  RED: '#FF2B2B',
};

/** Longest title kept in a subject line (characters). */
const SUBJECT_TITLE_MAX = 120;
/** Longest value shown per content field (characters). */
const VALUE_MAX = 2000;

/** Left-to-right isolate and pop directional isolate (Unicode UAX #9): keep the label LTR inside RTL text. */
const LRI = '\u2066';
const PDI = '\u2069';

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** One line of text: control characters (CR/LF included) become spaces, so nothing can add a header or a line. */
function oneLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

function clip(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(valueText).join(', ');
  return JSON.stringify(value);
}

/** Only http(s) links are written into a mail (never javascript: or data:). */
function safeUrl(url: string | undefined): string | undefined {
  return url !== undefined && /^https?:\/\/[^\s"'<>]+$/i.test(url) ? url : undefined;
}

/**
 * Writes the mail of one channel view (`channelView(notification, recipient.maxTlp ?? 'GREEN')`, so
 * TLP:RED content is never there to write) in `language`.
 *
 * - Subject: the label first (`TLP:AMBER Alert raised: <title>`), as FIRST's TLP 2.0 standard asks
 *   of e-mail (the label in the subject line, and directly in front of the information); the title only when content travels.
 * - Body (text and HTML): the label on the first line, directly before the information it marks; then
 *   what happened, the content fields (or, when withheld, only a line saying the details are in
 *   Corridor), the ids, the time and links.
 * - Arabic and Urdu: HTML with `dir="rtl"` and `lang`, the label isolated left-to-right (`<bdi dir="ltr">`,
 *   and U+2066…U+2069 in the text) so the bidirectional algorithm does not reorder it.
 * - Everything from the content is HTML-escaped; links are kept only when http(s).
 */
export function renderMail(view: ChannelView, language: Language, links: MailLinks = {}): RenderedMail {
  const words = WORDING[language];
  const rtl = isRightToLeft(language);
  const headline = words.headline[view.type];
  const content = view.withheld ? undefined : view.content;
  const title = typeof content?.title === 'string' ? clip(oneLine(content.title), SUBJECT_TITLE_MAX) : undefined;
  const subject = oneLine(`${view.label} ${headline}${title ? `: ${title}` : ''}`);

  const fields = content
    ? Object.entries(content)
        .map(([key, value]) => [oneLine(key), clip(valueText(value), VALUE_MAX)] as const)
        .filter(([, value]) => value !== '')
    : [];
  const [beforeLabel, afterLabel] = words.withheld.split('{label}') as [string, string];
  const ids: Array<[string, string]> = [];
  if (view.incidentId) ids.push([words.incident, view.incidentId]);
  if (view.alertId) ids.push([words.alert, view.alertId]);
  ids.push([words.occurredAt, view.occurredAt]);
  const incidentUrl = safeUrl(links.incidentUrl);
  const alertUrl = safeUrl(links.alertUrl);
  const linkList: Array<[string, string]> = [];
  if (incidentUrl) linkList.push([words.open, incidentUrl]);
  if (alertUrl) linkList.push([words.openInbox, alertUrl]);

  const label = rtl ? `${LRI}${view.label}${PDI}` : view.label;
  const withheld = `${beforeLabel}${label}${afterLabel}`;
  const text = [
    label,
    headline,
    '',
    ...(content ? [`${words.details}:`, ...fields.map(([key, value]) => `${key}: ${value}`)] : [withheld]),
    '',
    ...ids.map(([name, value]) => `${name}: ${value}`),
    ...linkList.map(([name, url]) => `${name}: ${url}`),
    '',
    `${words.reference}: ${view.id}`,
    '',
  ].join('\n');

  const e = escapeHtml;
  const colour = LABEL_COLOUR[view.tlp];
  const row = (name: string, value: string) => `<tr><th scope="row">${e(name)}</th><td>${e(value)}</td></tr>`;
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${language}" dir="${rtl ? 'rtl' : 'ltr'}">`,
    `<head><meta charset="utf-8"><title>${e(subject)}</title></head>`,
    `<body dir="${rtl ? 'rtl' : 'ltr'}">`,
    `<p><bdi dir="ltr" style="background:#000000;color:${colour};font-family:monospace;font-weight:bold;padding:2px 6px">${e(view.label)}</bdi></p>`,
    `<h1>${e(headline)}</h1>`,
    content
      ? `<h2>${e(words.details)}</h2>\n<table>${fields.map(([key, value]) => row(key, value)).join('')}</table>`
      : `<p>${e(beforeLabel)}<bdi dir="ltr">${e(view.label)}</bdi>${e(afterLabel)}</p>`,
    `<table>${ids.map(([name, value]) => row(name, value)).join('')}</table>`,
    ...linkList.map(([name, url]) => `<p><a href="${e(url)}">${e(name)}</a></p>`),
    `<p><small>${e(words.reference)}: <bdi dir="ltr">${e(view.id)}</bdi></small></p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return { subject, text, html };
}
