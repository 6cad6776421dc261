import type { Contact } from '../api/types';
import { k } from '../i18n/keys';
import { message, type Message } from '../ui/message';

/** Where a contact request between the two sides of a match stands, for the side reading it. */
export function contactState(contact: Contact): Message {
  const outgoing = contact.direction === 'outgoing';
  switch (contact.status) {
    case 'pending':
      return message(outgoing ? k('incident.contactPendingOut') : k('incident.contactPendingIn'));
    case 'accepted':
      return message(outgoing ? k('incident.contactAcceptedOut') : k('incident.contactAcceptedIn'), {
        organization: contact.organization?.name ?? '',
      });
    case 'declined':
      return message(outgoing ? k('incident.contactDeclinedOut') : k('incident.contactDeclinedIn'));
  }
}
