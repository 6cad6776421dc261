import type { IndicatorType } from '../indicators';
import type { Severity } from '../incidents/incident';
import type { Classification } from '../incidents/taxonomy';
import type { Pap } from '../visibility/pap';
import type { Tlp } from '../visibility/tlp';

/**
 * What an importer (STIX bundle, MISP event, TAXII pull) makes of a partner's document: incidents to
 * upsert by `externalRef`, each with what it could not map kept and listed. Importers are pure; the
 * api decides ownership (the importing organization) and storage.
 */

/** One indicator found in a partner's document. */
export interface ImportedIndicator {
  /** The value as found (refanged or not; the worker normalizes it), e.g. `203.0.113.7`. */
  value: string;
  /** Corridor's type when the source states it; absent: the worker infers it from the value. */
  type?: IndicatorType;
  pap?: Pap;
  /** False when the source shares it as context only (STIX `observed-data`, MISP `to_ids: false`). */
  forDetection: boolean;
  /** Where it came from in the source, e.g. `objects[4].pattern` or `Event.Attribute[2]`. */
  origin: string;
  /** The source's category of it, kept as context, e.g. MISP `Network activity` or `Payload delivery`. */
  category?: string;
  /** The source's comment on it, e.g. a MISP attribute's `comment`. */
  comment?: string;
}

/** Something the importer kept but could not map to Corridor's fields (never dropped silently). */
export interface UnmappedItem {
  /** The source object, e.g. `attack-pattern--…` or `Event.Attribute[7]`. */
  object: string;
  /** JSON path inside the document, e.g. `objects[7]` or `Event.Object[0].Attribute[3]`. */
  path: string;
  /** Why it is not mapped, e.g. `pattern compares process:name`. */
  reason: string;
  /** The part of the source kept as the incident's context, as the partner sent it. */
  kept?: unknown;
}

/** How the source's sharing narrows who may see the incident (never widens it). */
export type ImportedAudience =
  /** The source's default TLP/audience (no marking, no tag). */
  | { kind: 'source-default' }
  /** The stated TLP, shared as Corridor shares that TLP from the importing organization. */
  | { kind: 'tlp' }
  /** GREEN limited to one community: the source's own, or one mapped from a MISP SharingGroup uuid. */
  | { kind: 'community'; sharingGroupUuid?: string };

export interface ImportedIncident {
  /** The source's id of the incident: a STIX id (`incident--…`, `report--…`, `bundle--…`) or `misp:<event uuid>`. */
  externalRef: string;
  /** The source's version, compared as text (STIX `modified`, MISP `timestamp` as an ISO date): newer updates. */
  version: string;
  /** STIX `revoked: true` (or a MISP event marked deleted): the incident is to be retracted. */
  revoked: boolean;
  title: string;
  description: string;
  occurredAt: Date;
  /** From `rsit:` tags or Corridor's extension; absent: the importer's default (`other/undetermined`). */
  classification?: Classification;
  severity?: Severity;
  /** Undefined: no marking or tag: the source's default applies. */
  tlp?: Tlp;
  audience: ImportedAudience;
  pap?: Pap;
  /**
   * The reference the submitter gave the incident at the source (Corridor's STIX extension
   * `external_ref`), kept for the record; the upsert key is `externalRef`.
   */
  sourceExternalRef?: string;
  /** Submitter anonymised (MISP `tlp:ex:chr`). */
  anonymised?: boolean;
  indicators: ImportedIndicator[];
  unmapped: UnmappedItem[];
}

/** An importer's result: incidents to upsert, and what of the document belongs to none of them. */
export interface ImportResult {
  incidents: ImportedIncident[];
  unmapped: UnmappedItem[];
}
