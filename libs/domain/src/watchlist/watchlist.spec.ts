import type { ProbeFindings } from '../correlation/correlation';
import { correlationKey, indexPlan, type IndexedIndicator } from '../correlation/index-plan';
import { indicatorWarnings } from '../indicators';
import { SharingContext } from '../visibility/organization-display';
import type { CounterpartIncident } from '../correlation/correlation';
import {
  readWatchFile,
  readWatchLine,
  readWatchValue,
  watchEntryId,
  watchHitId,
  watchHitsFound,
  watchHitViewFor,
  watchHitsOfEntry,
  watchPlan,
  type WatchHit,
} from './watchlist';

describe('readWatchValue', () => {
  it('refangs and canonicalizes any form a partner writes', () => {
    expect(readWatchValue(' evil[.]Corridor-Test.NET ')).toEqual({
      ok: true,
      indicator: { type: 'domain', value: 'evil.corridor-test.net' },
      warnings: [],
    });
    expect(readWatchValue('hxxps://Evil[.]corridor-test.net:443/login')).toMatchObject({
      ok: true,
      indicator: { type: 'url', value: 'https://evil.corridor-test.net/login' },
    });
    expect(readWatchValue('D41D8CD98F00B204E9800998ECF8427E')).toMatchObject({
      ok: true,
      indicator: { type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' },
    });
    expect(readWatchValue('45.9.148.0/22')).toMatchObject({
      ok: true,
      indicator: { type: 'cidr', value: '45.9.148.0/22' },
    });
  });

  it('refuses a value carrying a credential, and shows it without the credential', () => {
    expect(readWatchValue('admin:hunter2@mail.evil.corridor-test.net')).toEqual({
      ok: false,
      reason: 'credential',
      message: 'Value carries a user name or password.',
      value: 'mail.evil.corridor-test.net',
    });
    const url = readWatchValue('http://bob:pw@evil.corridor-test.net/x');
    expect(url).toMatchObject({ ok: false, reason: 'credential', value: 'http://evil.corridor-test.net/x' });
    expect(JSON.stringify(url)).not.toContain('pw');
  });

  it('refuses what is not an indicator, with the normalizer’s reason', () => {
    expect(readWatchValue('not an indicator')).toMatchObject({ ok: false, reason: 'unrecognized' });
    expect(readWatchValue('999.1.1.1', 'ipv4')).toMatchObject({ ok: false, reason: 'invalid_value' });
    expect(readWatchValue('evil.corridor-test.net', 'ipv4')).toMatchObject({ ok: false, reason: 'type_mismatch' });
  });

  it('refuses a range wider than one registry block (/8 IPv4, /12 IPv6), accepts one that wide', () => {
    for (const value of ['0.0.0.0/0', '45.0.0.0/7', '::/0', '2a00::/11'])
      expect(readWatchValue(value)).toMatchObject({ ok: false, reason: 'too_broad' });
    expect(readWatchValue('45.0.0.0/8')).toMatchObject({ ok: true, indicator: { type: 'cidr', value: '45.0.0.0/8' } });
    expect(readWatchValue('2a00::/12')).toMatchObject({ ok: true, indicator: { type: 'cidr' } });
  });

  it('echoes at most 200 characters of a refused value', () => {
    const read = readWatchValue(`${'x'.repeat(5000)} not an indicator`);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.value).toBe(`${'x'.repeat(200)}…`);
  });

  it('accepts a value on a warning list, with its warnings', () => {
    const read = readWatchValue('8.8.8.8');
    expect(read).toMatchObject({ ok: true, indicator: { type: 'ipv4', value: '8.8.8.8' } });
    expect(read.ok && read.warnings.map((w) => w.list)).toEqual(['public-dns-resolvers']);
  });
});

describe('readWatchLine and readWatchFile', () => {
  it('skips blank and comment lines, and keeps an inline comment as the note', () => {
    expect(readWatchLine('   ', 1)).toEqual({ kind: 'skip' });
    expect(readWatchLine('# a comment', 2)).toEqual({ kind: 'skip' });
    expect(readWatchLine('evil[.]corridor-test.net   # phishing kit', 3)).toEqual({
      kind: 'entry',
      line: 3,
      indicator: { type: 'domain', value: 'evil.corridor-test.net' },
      warnings: [],
      note: 'phishing kit',
    });
  });

  it('keeps a # inside a URL (its fragment)', () => {
    expect(readWatchLine('http://evil.corridor-test.net/a#b', 1)).toMatchObject({
      kind: 'entry',
      indicator: { type: 'url', value: 'http://evil.corridor-test.net/a#b' },
      note: null,
    });
  });

  it('counts lines from 1, collapses repeated values and names each rejected line', () => {
    const file = readWatchFile(
      [
        '# watched by CERT-PK',
        'evil[.]corridor-test.net',
        '',
        'EVIL.corridor-test.net',
        'bob:secret@mail.corridor-test.net',
        '10.1.2.0/24',
        'garbage here',
        '45.9.148.7',
      ].join('\r\n'),
    );
    expect(file.entries.map((e) => [e.line, correlationKey(e.indicator)])).toEqual([
      [2, 'domain:evil.corridor-test.net'],
      [6, 'cidr:10.1.2.0/24'],
      [8, 'ipv4:45.9.148.7'],
    ]);
    expect(file.repeated).toBe(1);
    expect(file.rejected.map((r) => [r.line, r.value, r.reason])).toEqual([
      [5, 'mail.corridor-test.net', 'credential'],
      [7, 'garbage here', 'unrecognized'],
    ]);
    expect(file.entries[1].warnings.map((w) => w.list)).toEqual(['rfc1918']);
  });
});

describe('ids', () => {
  it('are deterministic per organization and value, and per entry and incident', () => {
    expect(watchEntryId('org-a', 'domain', 'evil.corridor-test.net')).toBe(
      watchEntryId('org-a', 'domain', 'evil.corridor-test.net'),
    );
    expect(watchEntryId('org-a', 'domain', 'evil.corridor-test.net')).not.toBe(
      watchEntryId('org-b', 'domain', 'evil.corridor-test.net'),
    );
    expect(watchEntryId('org-a', 'domain', 'x.example.org')).toMatch(/^wl-[0-9a-f]{40}$/);
    expect(watchHitId('wl-1', 'inc-1')).toMatch(/^wh-[0-9a-f]{40}$/);
    expect(watchHitId('wl-1', 'inc-1')).not.toBe(watchHitId('wl-1', 'inc-2'));
  });
});

/**
 * A tiny in-memory executor of index plans: stores watch entries as the watch index does and runs an
 * incident indicator's probes against them, so the relations are checked end to end in the domain.
 */
function findIn(
  watched: ReadonlyArray<{ id: string; orgId: string; indicator: IndexedIndicator }>,
  indicator: IndexedIndicator,
  aliases: Record<string, string[]> = {},
): ProbeFindings[] {
  const plan = indexPlan(indicator, []);
  return plan.probes.map((probe) => {
    const entries = watched
      .filter((w) => {
        const wk = correlationKey(w.indicator);
        switch (probe.op) {
          case 'set': {
            const stores = watchPlan(w.indicator).plan.stores;
            return stores.some((s) => s.op === 'set' && s.key === probe.key);
          }
          case 'alias':
            return (aliases[probe.key] ?? []).includes(wk);
          case 'within':
          case 'range':
            // Containment in either direction, as the sorted sets answer it.
            return (
              ((w.indicator.type === 'cidr' || indicator.type === 'cidr') && w.indicator.type !== indicator.type) ||
              (w.indicator.type === 'cidr' && indicator.type === 'cidr')
            );
        }
      })
      .map((w) => ({ incidentId: w.id, orgId: w.orgId, key: correlationKey(w.indicator) }));
    return { probe, entries };
  });
}

describe('watchHitsFound', () => {
  const incident = { id: 'inc-1', orgId: 'org-owner' };
  const at = new Date('2026-11-28T10:00:00.000Z');
  const watched = [
    { id: 'wl-cidr', orgId: 'org-w', indicator: { type: 'cidr', value: '45.9.148.0/22' } as IndexedIndicator },
    {
      id: 'wl-dom',
      orgId: 'org-w',
      indicator: { type: 'domain', value: 'evil.corridor-test.net' } as IndexedIndicator,
    },
    { id: 'wl-md5', orgId: 'org-w', indicator: { type: 'md5', value: 'a'.repeat(32) } as IndexedIndicator },
    { id: 'wl-priv', orgId: 'org-owner', indicator: { type: 'ipv4', value: '10.0.0.5' } as IndexedIndicator },
    { id: 'wl-priv-other', orgId: 'org-w', indicator: { type: 'ipv4', value: '10.0.0.5' } as IndexedIndicator },
  ];
  const hits = (indicators: IndexedIndicator[], aliases: Record<string, string[]> = {}): WatchHit[] => {
    const withWarnings = indicators.map((i) => ({
      ...i,
      warnings: indicatorWarnings({ ...i, raw: i.value }),
    }));
    return watchHitsFound(
      incident,
      withWarnings,
      indicators.map((i) => findIn(watched, i, aliases)),
      at,
    );
  };

  it('a watched range matches an address inside it (ip-in-cidr), not one outside', () => {
    expect(hits([{ type: 'ipv4', value: '45.9.150.3' }])).toEqual([
      {
        id: watchHitId('wl-cidr', 'inc-1'),
        watchId: 'wl-cidr',
        orgId: 'org-w',
        watched: { type: 'cidr', value: '45.9.148.0/22' },
        incidentId: 'inc-1',
        incidentOrgId: 'org-owner',
        matched: { type: 'ipv4', value: '45.9.150.3' },
        kind: 'ip-in-cidr',
        createdAt: at,
      },
    ]);
    expect(hits([{ type: 'ipv4', value: '45.9.152.1' }])).toEqual([]);
  });

  it('a watched domain matches its subdomains, URLs on it and e-mail addresses at it', () => {
    const kinds = (i: IndexedIndicator) => hits([i]).map((h) => [h.watchId, h.kind]);
    expect(kinds({ type: 'domain', value: 'evil.corridor-test.net' })).toEqual([['wl-dom', 'exact']]);
    expect(kinds({ type: 'domain', value: 'cdn.evil.corridor-test.net' })).toEqual([['wl-dom', 'subdomain']]);
    expect(kinds({ type: 'url', value: 'https://evil.corridor-test.net/login' })).toEqual([['wl-dom', 'url-host']]);
    expect(kinds({ type: 'url', value: 'https://a.evil.corridor-test.net/x' })).toEqual([['wl-dom', 'url-domain']]);
    expect(kinds({ type: 'email', value: 'ceo@evil.corridor-test.net' })).toEqual([['wl-dom', 'email-domain']]);
    expect(kinds({ type: 'domain', value: 'notevil.corridor-test.net' })).toEqual([]);
  });

  it('a watched hash matches an alias of the file (file-alias)', () => {
    const sha = { type: 'sha256', value: 'b'.repeat(64) } as IndexedIndicator;
    const aliases = { [`hal:${correlationKey(sha)}`]: [`md5:${'a'.repeat(32)}`] };
    expect(hits([sha], aliases).map((h) => [h.watchId, h.kind])).toEqual([['wl-md5', 'file-alias']]);
  });

  it('keeps one hit per entry and incident, the strongest relation', () => {
    const found = hits([
      { type: 'url', value: 'https://evil.corridor-test.net/login' },
      { type: 'domain', value: 'evil.corridor-test.net' },
      { type: 'email', value: 'x@evil.corridor-test.net' },
    ]);
    expect(found.map((h) => [h.watchId, h.kind, h.matched.value])).toEqual([
      ['wl-dom', 'exact', 'evil.corridor-test.net'],
    ]);
  });

  it('a warned indicator hits only entries of the incident’s own organization', () => {
    expect(hits([{ type: 'ipv4', value: '10.0.0.5' }]).map((h) => h.orgId)).toEqual(['org-owner']);
  });
});

describe('watchHitViewFor', () => {
  const sharing = new SharingContext(
    [],
    [
      { id: 'org-owner', name: 'CERT Owner', kind: 'cert' },
      { id: 'org-w', name: 'CERT Watcher', kind: 'cert' },
    ],
  );
  const incident = (tlp: CounterpartIncident['tlp']): CounterpartIncident => ({
    id: 'inc-1',
    orgId: 'org-owner',
    authorId: 'user-o',
    recipientOrgIds: [],
    recipientUserIds: [],
    title: 'Secret operation',
    severity: 'critical',
    classification: { class: 'intrusions', type: 'system-compromise' },
    tlp,
  });
  const hit: WatchHit = {
    id: 'wh-1',
    watchId: 'wl-dom',
    orgId: 'org-w',
    watched: { type: 'domain', value: 'evil.corridor-test.net' },
    incidentId: 'inc-1',
    incidentOrgId: 'org-owner',
    matched: { type: 'url', value: 'https://evil.corridor-test.net/secret-path' },
    kind: 'url-host',
    createdAt: new Date('2026-11-28T10:00:00.000Z'),
  };
  const watcher = sharing.organizationViewer('org-w');

  it('names a visible incident in full, with the matched value', () => {
    const view = watchHitViewFor(watcher, hit, incident('CLEAR'), sharing);
    expect(view).toEqual({
      id: 'wh-1',
      watchId: 'wl-dom',
      watched: { type: 'domain', value: 'evil.corridor-test.net' },
      kind: 'url-host',
      strength: 'medium',
      matched: { type: 'url', value: 'https://evil.corridor-test.net/secret-path' },
      counterpart: {
        disclosure: 'full',
        organization: { id: 'org-owner', name: 'CERT Owner' },
        incident: {
          id: 'inc-1',
          title: 'Secret operation',
          severity: 'critical',
          classification: { class: 'intrusions', type: 'system-compromise' },
          tlp: 'CLEAR',
        },
      },
      createdAt: '2026-11-28T10:00:00.000Z',
    });
  });

  it('words a hidden incident by its owner’s disclosure policy and tells nothing of its own values', () => {
    const amber = watchHitViewFor(watcher, hit, incident('AMBER'), sharing);
    expect(amber?.counterpart).toEqual({ disclosure: 'anonymous', tlp: 'AMBER' });
    expect(amber?.matched).toBeNull();
    const text = JSON.stringify(amber);
    expect(text).not.toContain('inc-1');
    expect(text).not.toContain('Secret');
    expect(text).not.toContain('secret-path');
    expect(text).not.toContain('org-owner');
    const named = new SharingContext(
      [],
      [
        { id: 'org-owner', name: 'CERT Owner', kind: 'cert', disclosure: { AMBER: 'named' } },
        { id: 'org-w', name: 'CERT Watcher', kind: 'cert' },
      ],
    );
    expect(watchHitViewFor(watcher, hit, incident('AMBER'), named)?.counterpart).toEqual({
      disclosure: 'named',
      organization: { id: 'org-owner', name: 'CERT Owner' },
      tlp: 'AMBER',
    });
    expect(watchHitViewFor(watcher, hit, incident('RED'), sharing)?.counterpart).toEqual({ disclosure: 'nothing' });
  });

  it('is nothing to another organization', () => {
    expect(watchHitViewFor(sharing.organizationViewer('org-owner'), hit, incident('CLEAR'), sharing)).toBeUndefined();
  });
});

describe('watchHitsOfEntry', () => {
  const at = new Date('2026-11-28T10:00:00.000Z');
  const entry = { id: 'wl-cidr', orgId: 'org-w', type: 'cidr' as const, value: '45.9.148.0/22' };
  const probes = watchPlan(entry).plan.probes;

  it('keeps incidents whose values really relate, once each, the strongest kind first', () => {
    const range = probes.find((p) => p.op === 'range' && p.of === 'address');
    const networks = probes.find((p) => p.op === 'range' && p.of === 'network');
    if (!range || !networks) throw new Error('a range is looked up by its addresses and networks');
    const hits = watchHitsOfEntry(
      entry,
      [
        {
          probe: range,
          entries: [
            { incidentId: 'inc-1', orgId: 'org-o', key: 'ipv4:45.9.150.3' },
            { incidentId: 'inc-2', orgId: 'org-o', key: 'ipv4:45.9.160.1' },
          ],
        },
        { probe: networks, entries: [{ incidentId: 'inc-1', orgId: 'org-o', key: 'cidr:45.9.149.0/24' }] },
      ],
      at,
    );
    expect(hits).toEqual([
      {
        id: watchHitId('wl-cidr', 'inc-1'),
        watchId: 'wl-cidr',
        orgId: 'org-w',
        watched: { type: 'cidr', value: '45.9.148.0/22' },
        incidentId: 'inc-1',
        incidentOrgId: 'org-o',
        matched: { type: 'ipv4', value: '45.9.150.3' },
        kind: 'ip-in-cidr',
        createdAt: at,
      },
    ]);
  });

  it('finds incidents carrying another hash of the watched file', () => {
    const md5 = { id: 'wl-md5', orgId: 'org-w', type: 'md5' as const, value: 'a'.repeat(32) };
    const alias = watchPlan(md5).plan.probes.find((p) => p.op === 'alias');
    if (!alias) throw new Error('a hash looks its aliases up');
    const hits = watchHitsOfEntry(
      md5,
      [{ probe: alias, entries: [{ incidentId: 'inc-9', orgId: 'org-o', key: `sha256:${'b'.repeat(64)}` }] }],
      at,
    );
    expect(hits.map((h) => [h.incidentId, h.kind, h.matched.type])).toEqual([['inc-9', 'file-alias', 'sha256']]);
  });
});
