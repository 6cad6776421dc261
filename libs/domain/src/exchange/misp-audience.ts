import { strictestTlp, TLP_LEVELS, type Tlp } from '../visibility/tlp';
import type { ImportedAudience } from './imported';
import type { MispDistribution } from './misp-schema';

/*
 * Who may see what a MISP event shares: its TLP tags and its `distribution` (the draft's 0 your
 * organisation only, 1 this community only, 2 connected communities, 3 all communities, 4 sharing
 * group, 5 inherit). The TLP tag states the sharer's intent; `distribution` only ever narrows it.
 */

/** `tlp:` tags of the MISP TLP taxonomy, lower-case, and the TLP 2.0 level each means (`white` is TLP 1.0 for CLEAR). */
export const MISP_TLP_TAGS: Readonly<Record<string, Tlp>> = {
  'tlp:clear': 'CLEAR',
  'tlp:white': 'CLEAR',
  'tlp:green': 'GREEN',
  'tlp:amber': 'AMBER',
  'tlp:amber+strict': 'AMBER+STRICT',
  'tlp:red': 'RED',
};

/** The Chatham House Rule tag of the MISP TLP taxonomy: use the information, never name who gave it. */
export const MISP_TLP_CHR_TAG = 'tlp:ex:chr';

/** The TLP a tag names (case-insensitive), or undefined when it is not a TLP tag. */
export function tlpOfMispTag(name: string): Tlp | undefined {
  return MISP_TLP_TAGS[name.trim().toLowerCase()];
}

/** What a cell of the table gives: the TLP and the audience it is shared with. */
export interface MispAudienceCell {
  tlp: Tlp;
  audience: ImportedAudience;
}

/** The TLP column of the table: a tag's level, or `none` when the event has no TLP tag. */
export type MispTlpColumn = Tlp | 'none';

type EventDistribution = Exclude<MispDistribution, 5>;

const STRICT: MispAudienceCell = { tlp: 'AMBER+STRICT', audience: { kind: 'tlp' } };
const asTagged = (tlp: Tlp): MispAudienceCell => ({ tlp, audience: { kind: 'tlp' } });
const COMMUNITY_GREEN: MispAudienceCell = { tlp: 'GREEN', audience: { kind: 'community' } };

/**
 * The TLP/distribution table (issue 11 §5), row per distribution, column per TLP tag. `4` is filled
 * in by `mispAudience`, which knows the sharing group's uuid:
 *
 * | distribution              | none          | CLEAR         | GREEN         | AMBER | AMBER+STRICT | RED |
 * |---------------------------|---------------|---------------|---------------|-------|--------------|-----|
 * | 0 your organisation only  | AMBER+STRICT  | AMBER+STRICT  | AMBER+STRICT  | AMBER | AMBER+STRICT | RED |
 * | 1 this community only     | GREEN (comm.) | GREEN (comm.) | GREEN (comm.) | AMBER | AMBER+STRICT | RED |
 * | 2 connected communities   | GREEN (comm.) | GREEN (comm.) | GREEN (comm.) | AMBER | AMBER+STRICT | RED |
 * | 3 all communities         | GREEN         | CLEAR         | GREEN         | AMBER | AMBER+STRICT | RED |
 * | 4 sharing group           | GREEN (group) | GREEN (group) | GREEN (group) | AMBER | AMBER+STRICT | RED |
 *
 * "comm." is the source's community (the community the importing feed or organization shares in);
 * "group" is the community the api maps from the SharingGroup uuid; the api makes an unmapped sharing
 * group AMBER+STRICT, and so does this function when the event names no SharingGroup uuid.
 * AMBER with 0 stays AMBER: MISP instances pair `tlp:amber` with "your organisation only" as a matter of
 * course (it is what Corridor's own export writes), and AMBER already limits who may see it.
 */
export const MISP_AUDIENCE_TABLE: Readonly<
  Record<Exclude<EventDistribution, 4>, Readonly<Record<MispTlpColumn, MispAudienceCell>>>
> = {
  0: {
    none: STRICT,
    CLEAR: STRICT,
    GREEN: STRICT,
    AMBER: asTagged('AMBER'),
    'AMBER+STRICT': STRICT,
    RED: asTagged('RED'),
  },
  1: {
    none: COMMUNITY_GREEN,
    CLEAR: COMMUNITY_GREEN,
    GREEN: COMMUNITY_GREEN,
    AMBER: asTagged('AMBER'),
    'AMBER+STRICT': STRICT,
    RED: asTagged('RED'),
  },
  2: {
    none: COMMUNITY_GREEN,
    CLEAR: COMMUNITY_GREEN,
    GREEN: COMMUNITY_GREEN,
    AMBER: asTagged('AMBER'),
    'AMBER+STRICT': STRICT,
    RED: asTagged('RED'),
  },
  3: {
    none: asTagged('GREEN'),
    CLEAR: asTagged('CLEAR'),
    GREEN: asTagged('GREEN'),
    AMBER: asTagged('AMBER'),
    'AMBER+STRICT': STRICT,
    RED: asTagged('RED'),
  },
};

/** The strictest TLP named by some tags (several → strictest), or `none`. Tags other than TLP's are ignored. */
export function mispTlpColumn(tags: Iterable<string>): MispTlpColumn {
  const levels: Tlp[] = [];
  for (const tag of tags) {
    const tlp = tlpOfMispTag(tag);
    if (tlp) levels.push(tlp);
  }
  return levels.length === 0 ? 'none' : strictestTlp(levels);
}

/**
 * The TLP and audience of something shared in MISP with `tags` (tag names, any case) and an event-level
 * `distribution` (0–4; resolve 5, inherit, to the parent's before calling). For 4, `sharingGroupUuid` is
 * the SharingGroup's uuid: CLEAR, GREEN or no TLP tag give GREEN limited to that group
 * (`{kind: 'community', sharingGroupUuid}`; the api maps it to a community, AMBER+STRICT when it maps to
 * none); without a uuid the group cannot be mapped here either: AMBER+STRICT.
 *
 * Source: issue 11 §5; MISP core format Internet-Draft, "distribution"; FIRST TLP 2.0.
 */
export function mispAudience(
  tags: Iterable<string>,
  distribution: EventDistribution,
  sharingGroupUuid?: string,
): MispAudienceCell {
  const column = mispTlpColumn(tags);
  if (distribution !== 4) return MISP_AUDIENCE_TABLE[distribution][column];
  switch (column) {
    case 'none':
    case 'CLEAR':
    case 'GREEN':
      return sharingGroupUuid ? { tlp: 'GREEN', audience: { kind: 'community', sharingGroupUuid } } : STRICT;
    case 'AMBER':
    case 'RED':
      return asTagged(column);
    case 'AMBER+STRICT':
      return STRICT;
  }
}

const sameCommunity = (a: ImportedAudience, b: ImportedAudience): boolean =>
  a.kind === 'community' && b.kind === 'community' && a.sharingGroupUuid === b.sharingGroupUuid;

/**
 * The narrower of two cells: the stricter TLP; at equal GREEN, a community over any GREEN; two
 * different communities (their intersection cannot be named) give AMBER+STRICT.
 */
export function narrowerMispAudience(a: MispAudienceCell, b: MispAudienceCell): MispAudienceCell {
  const rankA = TLP_LEVELS.indexOf(a.tlp);
  const rankB = TLP_LEVELS.indexOf(b.tlp);
  if (rankA !== rankB) return rankA > rankB ? a : b;
  if (a.audience.kind !== 'community') return b;
  if (b.audience.kind !== 'community') return a;
  return sameCommunity(a.audience, b.audience) ? a : STRICT;
}
