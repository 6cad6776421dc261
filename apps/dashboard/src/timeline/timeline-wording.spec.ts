import type { TimelineEntry } from '../api/types';
import { translate } from '../ui/message';
import { describeEntry, excerpt, type Readers } from './timeline-wording';

const readers: Readers = { me: 'user-me', nameOf: (id) => (id === 'user-ana' ? 'Ana' : undefined) };
const org = { id: 'org-a', name: 'CERT-A' };
const base = { id: 'e1', incidentId: 'i1', at: '2026-11-29T10:00:00.000Z' };
const byMe = { organization: org, principalId: 'user-me' };
const byAna = { organization: org, principalId: 'user-ana' };
const byPartner = { organization: { id: null, name: 'a partner CERT' }, principalId: null };

/** A translation that shows the key and its values, so a test reads the whole structure. */
const show = (key: string, values?: Record<string, unknown>) =>
  values
    ? `${key}(${Object.entries(values)
        .map(([n, v]) => `${n}=${String(v)}`)
        .join(',')})`
    : key;
const words = (entry: TimelineEntry) => translate(show, describeEntry(entry, readers)).replace(/[\u2068\u2069]/g, '');

describe('timeline wording', () => {
  it('names who did it: the platform, the reader, a known colleague, or the organization', () => {
    expect(words({ ...base, by: null, kind: 'submitted' })).toBe('timeline.submitted(who=timeline.byPlatform)');
    expect(words({ ...base, by: byMe, kind: 'submitted' })).toBe('timeline.submitted(who=timeline.byYou)');
    expect(words({ ...base, by: byAna, kind: 'acknowledged', correlationId: 'c1' })).toBe(
      'timeline.acknowledged(who=timeline.byPerson(person=Ana,organization=CERT-A))',
    );
    expect(words({ ...base, by: { organization: org, principalId: 'key-1' }, kind: 'submitted' })).toBe(
      'timeline.submitted(who=CERT-A)',
    );
    expect(words({ ...base, by: byPartner, kind: 'commented', comment: commentOf('Seen here too') })).toBe(
      'timeline.commented(who=a partner CERT,excerpt=Seen here too)',
    );
  });

  it('words a sighting by its kind, with the indicator and, when seen, how many times', () => {
    const sighting = (kind: 'seen' | 'false-positive' | 'expired', count = 1) => ({
      id: 's1',
      incidentId: 'i1',
      organization: byPartner.organization,
      indicator: { type: 'domain' as const, value: 'evil.test' },
      kind,
      count,
      firstSeen: null,
      lastSeen: null,
      note: null,
      createdAt: base.at,
    });
    expect(words({ ...base, by: byPartner, kind: 'sighted', sighting: sighting('seen', 3) })).toBe(
      'timeline.sightedSeen(who=a partner CERT,value=evil.test,count=3)',
    );
    expect(words({ ...base, by: byMe, kind: 'sighted', sighting: sighting('false-positive') })).toBe(
      'timeline.sightedFalsePositive(who=timeline.byYou,value=evil.test)',
    );
    expect(words({ ...base, by: byPartner, kind: 'sighted', sighting: sighting('expired') })).toBe(
      'timeline.sightedExpired(who=a partner CERT,value=evil.test)',
    );
  });

  it('words each change with its labels', () => {
    expect(words({ ...base, by: byMe, kind: 'status_changed', from: 'new', to: 'triaged' })).toBe(
      'timeline.statusChanged(who=timeline.byYou,from=status.new,to=status.triaged)',
    );
    expect(words({ ...base, by: byMe, kind: 'tlp_changed', from: 'GREEN', to: 'AMBER+STRICT' })).toBe(
      'timeline.tlpChanged(who=timeline.byYou,from=TLP:GREEN,to=TLP:AMBER+STRICT)',
    );
    expect(
      words({
        ...base,
        by: byMe,
        kind: 'recipients_changed',
        from: { organizations: [], users: [] },
        to: { organizations: ['o1', 'o2'], users: [] },
      }),
    ).toBe('timeline.recipientsChanged(who=timeline.byYou,organizations=2,people=0)');
    expect(words({ ...base, by: null, kind: 'processed', indicators: 3, rejected: 1 })).toBe(
      'timeline.processed(kept=3,rejected=1)',
    );
    expect(words({ ...base, by: null, kind: 'failed', reason: 'enrichment timed out' })).toBe(
      'timeline.failed(reason=enrichment timed out)',
    );
  });

  it('names the assignee: the reader, a colleague by name, or an unnamed colleague', () => {
    const assigned = (to: string | null) => words({ ...base, by: byAna, kind: 'assigned', from: null, to });
    expect(assigned('user-me')).toBe('timeline.assignedYou(who=timeline.byPerson(person=Ana,organization=CERT-A))');
    expect(assigned('user-ana')).toContain('person=Ana');
    expect(assigned('user-x')).toContain('person=timeline.colleague');
    expect(assigned(null)).toBe('timeline.unassigned(who=timeline.byPerson(person=Ana,organization=CERT-A))');
  });

  it('tells each side of a contact request its own news', () => {
    const contact = (direction: 'outgoing' | 'incoming', status: 'pending' | 'accepted' | 'declined') => ({
      id: 'contact-1',
      direction,
      status,
      createdAt: base.at,
      answeredAt: status === 'pending' ? null : base.at,
      ...(status === 'accepted' ? { organization: { id: 'org-b', name: 'CERT-B' }, incidentId: 'i2' } : {}),
    });
    const news = (kind: 'contact_requested' | 'contact_answered', c: ReturnType<typeof contact>) =>
      words({ ...base, by: null, kind, contact: c });
    expect(news('contact_requested', contact('outgoing', 'pending'))).toBe('timeline.contactRequestedOut');
    expect(news('contact_requested', contact('incoming', 'pending'))).toBe('timeline.contactRequestedIn');
    expect(news('contact_answered', contact('outgoing', 'accepted'))).toBe(
      'timeline.contactAcceptedOut(organization=CERT-B)',
    );
    expect(news('contact_answered', contact('incoming', 'accepted'))).toBe(
      'timeline.contactAcceptedIn(organization=CERT-B)',
    );
    expect(news('contact_answered', contact('outgoing', 'declined'))).toBe('timeline.contactDeclinedOut');
    expect(news('contact_answered', contact('incoming', 'declined'))).toBe('timeline.contactDeclinedIn');
  });

  it('quotes a short, flattened excerpt of a comment', () => {
    expect(excerpt('  two\n lines ')).toBe('two lines');
    const long = excerpt('x'.repeat(200));
    expect(long).toHaveLength(80);
    expect(long.endsWith('…')).toBe(true);
  });

  it('isolates data inside a sentence, not the translated parts', () => {
    const text = translate(show, describeEntry({ ...base, by: byPartner, kind: 'submitted' }, readers));
    expect(text).toBe('timeline.submitted(who=\u2068a partner CERT\u2069)');
  });
});

function commentOf(text: string) {
  return { id: 'c1', organization: { id: null, name: 'a partner CERT' }, text, createdAt: base.at };
}
