import type { Contact, Sighting, TimelineEntry } from '../api/types';
import { k } from '../i18n/keys';
import { STATUS } from '../ui/labels';
import { message, type Message, type MessageValue } from '../ui/message';

/** Who the reader is, and the names of the people of its organization it may know (org-admins do). */
export interface Readers {
  me: string;
  nameOf: (userId: string) => string | undefined;
}

/** The longest part of a comment quoted in the timeline. */
export const EXCERPT_LENGTH = 80;

export function excerpt(text: string, length = EXCERPT_LENGTH): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1).trimEnd()}…`;
}

/** Who did it: the platform, the reader, a named colleague, or the organization as the reader knows it. */
export function actorOf(by: TimelineEntry['by'], readers: Readers): MessageValue {
  if (!by) return message(k('timeline.byPlatform'));
  if (by.principalId === readers.me) return message(k('timeline.byYou'));
  const name = by.principalId ? readers.nameOf(by.principalId) : undefined;
  return name
    ? message(k('timeline.byPerson'), { person: name, organization: by.organization.name })
    : by.organization.name;
}

/** A person an assignment names: a colleague by name, or an unnamed colleague. */
export function personOf(userId: string, readers: Readers): MessageValue {
  return readers.nameOf(userId) ?? message(k('timeline.colleague'));
}

/** A contact request's news, as the side reading it sees it. */
export function contactNews(kind: 'contact_requested' | 'contact_answered', contact: Contact): Message {
  const outgoing = contact.direction === 'outgoing';
  if (kind === 'contact_requested' || contact.status === 'pending') {
    return message(outgoing ? k('timeline.contactRequestedOut') : k('timeline.contactRequestedIn'));
  }
  const organization = contact.organization?.name ?? '';
  if (contact.status === 'accepted') {
    return outgoing
      ? message(k('timeline.contactAcceptedOut'), { organization })
      : message(k('timeline.contactAcceptedIn'), { organization });
  }
  return message(outgoing ? k('timeline.contactDeclinedOut') : k('timeline.contactDeclinedIn'));
}

/** A sighting's news: who reported what of which indicator. */
export function sightingNews(who: MessageValue, sighting: Sighting): Message {
  const value = sighting.indicator.value;
  switch (sighting.kind) {
    case 'seen':
      return message(k('timeline.sightedSeen'), { who, value, count: sighting.count });
    case 'false-positive':
      return message(k('timeline.sightedFalsePositive'), { who, value });
    case 'expired':
      return message(k('timeline.sightedExpired'), { who, value });
  }
}

/** One timeline entry in words. A correlation's other side is told by the correlation line beside it. */
export function describeEntry(entry: TimelineEntry, readers: Readers): Message {
  const who = actorOf(entry.by, readers);
  switch (entry.kind) {
    case 'submitted':
      return message(k('timeline.submitted'), { who });
    case 'processed':
      return message(k('timeline.processed'), { kept: entry.indicators, rejected: entry.rejected });
    case 'failed':
      return message(k('timeline.failed'), { reason: entry.reason });
    case 'correlated':
      return message(k('timeline.correlated'));
    case 'status_changed':
      return message(k('timeline.statusChanged'), {
        who,
        from: message(STATUS[entry.from]),
        to: message(STATUS[entry.to]),
      });
    case 'tlp_changed':
      return message(k('timeline.tlpChanged'), { who, from: `TLP:${entry.from}`, to: `TLP:${entry.to}` });
    case 'recipients_changed':
      return message(k('timeline.recipientsChanged'), {
        who,
        organizations: entry.to.organizations.length,
        people: entry.to.users.length,
      });
    case 'assigned':
      if (entry.to === null) return message(k('timeline.unassigned'), { who });
      if (entry.to === readers.me) return message(k('timeline.assignedYou'), { who });
      return message(k('timeline.assigned'), { who, person: personOf(entry.to, readers) });
    case 'commented':
      return message(k('timeline.commented'), { who, excerpt: excerpt(entry.comment.text) });
    case 'sighted':
      return sightingNews(who, entry.sighting);
    case 'acknowledged':
      return message(k('timeline.acknowledged'), { who });
    case 'alert_changed':
      return message(k(entry.change === 'acknowledged' ? 'timeline.alertAcknowledged' : 'timeline.alertResolved'), {
        who,
        rule: entry.ruleName,
      });
    case 'contact_requested':
    case 'contact_answered':
      return contactNews(entry.kind, entry.contact);
    case 'deadline_changed':
      return entry.change === 'set'
        ? message(k('timeline.deadlinesSet'), { who, profile: entry.profileName })
        : message(k('timeline.deadlineCompleted'), { who, milestone: entry.milestone ?? '' });
  }
}
