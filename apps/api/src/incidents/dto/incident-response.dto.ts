import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CONTACT_STATUSES,
  CORRELATION_KINDS,
  CORRELATION_STRENGTHS,
  INCIDENT_STATES,
  INCIDENT_STATUSES,
  INDICATOR_TYPES,
  PAP_LEVELS,
  RSIT_CLASSES,
  SIGHTING_KINDS,
  SEVERITIES,
  TIMELINE_KINDS,
  TLP_LEVELS,
  WARNING_LISTS,
} from '@corridor/domain';

/**
 * What clients receive, declared for the OpenAPI document. The shapes are built by the view functions
 * in `incident.view.ts` and `@corridor/domain`; these classes only describe them.
 */

export class OrganizationRefDto {
  @ApiProperty({ type: String, nullable: true, description: 'Null when the organization is anonymous to the reader.' })
  id!: string | null;

  @ApiProperty({ example: 'a partner CERT' })
  name!: string;
}

export class ClassificationViewDto {
  @ApiProperty({ enum: RSIT_CLASSES })
  class!: string;

  @ApiProperty({ example: 'phishing' })
  type!: string;
}

export class IncidentListItemDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: OrganizationRefDto })
  organization!: OrganizationRefDto;

  @ApiProperty()
  title!: string;

  @ApiProperty({ enum: SEVERITIES })
  severity!: string;

  @ApiProperty({ enum: TLP_LEVELS })
  tlp!: string;

  @ApiProperty({ enum: PAP_LEVELS, description: 'PAP (FIRST): what recipients may do with its indicators.' })
  pap!: string;

  @ApiProperty({ type: ClassificationViewDto })
  classification!: ClassificationViewDto;

  @ApiProperty({ enum: INCIDENT_STATES, description: 'Processing state.' })
  state!: string;

  @ApiProperty({ enum: INCIDENT_STATUSES, description: 'The analysts’ workflow status.' })
  status!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Last status change; null if none.' })
  statusChangedAt!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The user of the submitting organization working on it (that organization only; null otherwise).',
  })
  assigneeId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  externalRef!: string | null;

  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'Null while processing is pending.' })
  indicatorCount!: number | null;
}

export class IncidentPageDto {
  @ApiProperty({ type: [IncidentListItemDto] })
  items!: IncidentListItemDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null at the end.' })
  nextCursor!: string | null;
}

export class MatchedIndicatorDto {
  @ApiProperty({ enum: INDICATOR_TYPES })
  type!: string;

  @ApiProperty()
  value!: string;
}

export class RelatedIncidentDto extends IncidentListItemDto {
  @ApiProperty({ enum: CORRELATION_KINDS, description: 'How its indicator relates to the searched one.' })
  kind!: string;

  @ApiProperty({ enum: CORRELATION_STRENGTHS })
  strength!: string;

  @ApiProperty({ type: MatchedIndicatorDto, description: 'The indicator of this incident that relates.' })
  indicator!: MatchedIndicatorDto;
}

export class IndicatorSearchResultDto {
  @ApiProperty({ enum: INDICATOR_TYPES })
  type!: string;

  @ApiProperty({ description: 'The canonical form searched for.' })
  value!: string;

  @ApiProperty({
    type: () => [IndicatorWarningDto],
    description: 'The warning lists the value matches (then it is searched in the store, not the correlation index).',
  })
  warnings!: IndicatorWarningDto[];

  @ApiProperty({ type: [IncidentListItemDto], description: 'Incidents carrying the same value.' })
  items!: IncidentListItemDto[];

  @ApiProperty({
    type: [RelatedIncidentDto],
    description: 'Incidents carrying a value related by another kind (inside a searched range, a subdomain…).',
  })
  related!: RelatedIncidentDto[];
}

export class IndicatorWarningDto {
  @ApiProperty({ enum: WARNING_LISTS, description: 'The list’s stable id.' })
  list!: string;

  @ApiProperty({ example: 'Public DNS resolvers' })
  name!: string;
}

/** Every sighting of one indicator of the incident, summed by kind. */
export class IndicatorSightingsDto {
  @ApiProperty({ description: 'Times reported seen (the sum of `seen` sightings’ counts).' })
  seen!: number;

  @ApiProperty({ description: 'Times reported a false positive.' })
  falsePositive!: number;

  @ApiProperty({ description: 'Times reported expired.' })
  expired!: number;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'The latest time a `seen` sighting names (its lastSeen, else firstSeen, else when reported).',
  })
  lastSeen!: string | null;
}

export class IndicatorViewDto {
  @ApiProperty({ description: 'As submitted.' })
  raw!: string;

  @ApiProperty({ enum: INDICATOR_TYPES })
  type!: string;

  @ApiProperty({ description: 'Canonical form.' })
  value!: string;

  @ApiProperty({ enum: ['field', 'description'] })
  source!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Offline facts: ipRange, registrableDomain, publicSuffix, host.',
  })
  enrichment!: Record<string, unknown>;

  @ApiProperty({
    type: [IndicatorWarningDto],
    description:
      'The warning lists it matched (special-purpose address ranges, public DNS resolvers, popular ' +
      'domains…): not malicious on its own. Empty when none matched.',
  })
  warnings!: IndicatorWarningDto[];

  @ApiProperty({
    description:
      'False for a warned indicator: it is neither indexed nor looked up, so it correlates with no other ' +
      'incident, raises no alert and tells no other organization anything.',
  })
  correlates!: boolean;

  @ApiProperty({ enum: PAP_LEVELS, description: 'Its PAP: its own if given, otherwise the incident’s.' })
  pap!: string;

  @ApiPropertyOptional({ description: 'True when the submitter gave this indicator its own PAP.' })
  papGiven?: boolean;

  @ApiProperty({
    description:
      'False for context only (e.g. an observable a STIX bundle shared without an indicator pattern, or a ' +
      'MISP attribute with to_ids off): exported as an observable, not as a STIX indicator.',
  })
  forDetection!: boolean;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Over-correlating: the number of incidents carrying this value, once above CORRELATION_HOT_THRESHOLD (it no longer correlates or alerts); null otherwise.',
  })
  hot!: number | null;

  @ApiProperty({ type: IndicatorSightingsDto, description: 'What partners reported of it (GET …/sightings).' })
  sightings!: IndicatorSightingsDto;
}

export class RejectedIndicatorDto {
  @ApiProperty()
  raw!: string;

  @ApiProperty({ description: 'A stable reason code.' })
  reason!: string;

  @ApiProperty()
  message!: string;

  @ApiPropertyOptional({ enum: INDICATOR_TYPES })
  declaredType?: string;
}

export class RecipientsViewDto {
  @ApiProperty({ type: [String] })
  organizations!: string[];

  @ApiProperty({ type: [String] })
  users!: string[];
}

export class AcknowledgementDto {
  @ApiProperty({ description: 'The user who acknowledged.' })
  by!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

export class ContactViewDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ enum: ['outgoing', 'incoming'] })
  direction!: string;

  @ApiProperty({ enum: CONTACT_STATUSES })
  status!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  answeredAt!: string | null;

  @ApiPropertyOptional({ type: OrganizationRefDto, description: 'Once accepted.' })
  organization?: OrganizationRefDto;

  @ApiPropertyOptional({ description: 'The other side’s incident, once accepted.' })
  incidentId?: string;
}

export class CounterpartIncidentDto {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ enum: SEVERITIES })
  severity!: string;

  @ApiProperty({ type: ClassificationViewDto })
  classification!: ClassificationViewDto;

  @ApiProperty({ enum: TLP_LEVELS })
  tlp!: string;
}

/** The other side of a correlation, as much as the reader may learn of it. */
export class CounterpartDto {
  @ApiProperty({
    enum: ['full', 'named', 'anonymous', 'nothing'],
    description:
      '`full`: the reader may see the other incident; otherwise what its owner discloses (`named`: the ' +
      'organization and TLP; `anonymous`: the TLP only; `nothing`).',
  })
  disclosure!: string;

  @ApiPropertyOptional({ type: OrganizationRefDto, description: '`full` and `named`.' })
  organization?: OrganizationRefDto;

  @ApiPropertyOptional({ type: CounterpartIncidentDto, description: '`full` only.' })
  incident?: CounterpartIncidentDto;

  @ApiPropertyOptional({ enum: TLP_LEVELS, description: '`named` and `anonymous`.' })
  tlp?: string;
}

/** A correlation as one reader sees it from its side; also the payload of the live `correlation.alert`. */
export class CorrelationViewDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({
    enum: INDICATOR_TYPES,
    description: 'The type of the reader’s own indicator (for `exact`, the shared one).',
  })
  type!: string;

  @ApiProperty({ description: 'The reader’s own indicator value (for `exact`, the shared one).' })
  value!: string;

  @ApiProperty({
    enum: CORRELATION_KINDS,
    description: 'How the two indicators relate; `exact` for older correlations.',
  })
  kind!: string;

  @ApiProperty({
    enum: CORRELATION_STRENGTHS,
    description: 'exact and file-alias strong; containment and parents weaker.',
  })
  strength!: string;

  @ApiProperty({
    type: MatchedIndicatorDto,
    nullable: true,
    description: 'The other side’s indicator when it differs, only if the reader may see the other incident.',
  })
  matched!: MatchedIndicatorDto | null;

  @ApiProperty({ description: 'The reader’s own incident in the correlation.' })
  yourIncidentId!: string;

  @ApiProperty({ type: CounterpartDto, description: 'The other side, worded by the disclosure rule for this reader.' })
  counterpart!: CounterpartDto;

  @ApiProperty({ type: AcknowledgementDto, nullable: true })
  acknowledged!: AcknowledgementDto | null;

  @ApiProperty({ type: ContactViewDto, nullable: true })
  contact!: ContactViewDto | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class FalsePositiveMarkViewDto {
  @ApiProperty({ description: 'The user or API key that marked it.' })
  by!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

export class FalsePositiveOfDetailDto extends FalsePositiveMarkViewDto {
  @ApiProperty({
    description: 'A correlation of `correlations` whose pair of values the reader’s organization marked.',
  })
  correlationId!: string;
}

export class IncidentDetailDto extends IncidentListItemDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Who made the last status change (submitting organization only).',
  })
  statusChangedBy!: string | null;

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: String, nullable: true })
  failureReason!: string | null;

  @ApiProperty({ type: RecipientsViewDto, nullable: true, description: 'Submitting organization only.' })
  recipients!: RecipientsViewDto | null;

  @ApiProperty({ type: String, nullable: true, description: 'Submitting organization only.' })
  disclosure!: string | null;

  @ApiProperty()
  submittedIndicators!: number;

  @ApiProperty({ type: [IndicatorViewDto] })
  indicators!: IndicatorViewDto[];

  @ApiProperty({ type: [RejectedIndicatorDto] })
  rejectedIndicators!: RejectedIndicatorDto[];

  @ApiProperty({ type: [CorrelationViewDto] })
  correlations!: CorrelationViewDto[];

  @ApiProperty({
    type: [FalsePositiveOfDetailDto],
    description:
      'Of these correlations, those the reader’s organization marked as false positives (and undoes with DELETE).',
  })
  falsePositives!: FalsePositiveOfDetailDto[];
}

export class CommentViewDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ type: OrganizationRefDto })
  organization!: OrganizationRefDto;

  @ApiProperty()
  text!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class SightedIndicatorDto {
  @ApiProperty({ enum: INDICATOR_TYPES })
  type!: string;

  @ApiProperty({ description: 'Canonical form, as in the incident’s indicators.' })
  value!: string;
}

/** A sighting as one reader sees it; also what a `sighted` timeline entry carries. */
export class SightingViewDto {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  incidentId!: string;

  @ApiProperty({ type: OrganizationRefDto, description: 'The reporting organization, as comments word it.' })
  organization!: OrganizationRefDto;

  @ApiProperty({ type: SightedIndicatorDto })
  indicator!: SightedIndicatorDto;

  @ApiProperty({ enum: SIGHTING_KINDS })
  kind!: string;

  @ApiProperty({ minimum: 1 })
  count!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  firstSeen!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastSeen!: string | null;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;

  @ApiProperty({ format: 'date-time', description: 'When it was reported.' })
  createdAt!: string;
}

export class IncidentCountsDto {
  @ApiProperty()
  total!: number;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } })
  state!: Record<string, number>;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } })
  severity!: Record<string, number>;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } })
  tlp!: Record<string, number>;
}

export class TimelineActorDto {
  @ApiProperty({ type: OrganizationRefDto, description: 'As the reader knows the organization.' })
  organization!: OrganizationRefDto;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The user or API key; only to readers of the same organization.',
  })
  principalId!: string | null;
}

/** One entry of an incident's timeline; also the payload of the live `incident.timeline`. */
export class TimelineEntryDto {
  @ApiProperty({ description: 'Deterministic: the same thing happening twice is one entry.' })
  id!: string;

  @ApiProperty()
  incidentId!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: TimelineActorDto, nullable: true, description: 'Null for what the platform did.' })
  by!: TimelineActorDto | null;

  @ApiProperty({ enum: TIMELINE_KINDS })
  kind!: string;

  @ApiPropertyOptional({ description: '`processed`: indicators kept.' })
  indicators?: number;

  @ApiPropertyOptional({ description: '`processed`: indicators rejected.' })
  rejected?: number;

  @ApiPropertyOptional({ description: '`failed`: why processing gave up.' })
  reason?: string;

  @ApiPropertyOptional({ description: '`deadline_changed`: the profile the incident is under.' })
  profileName?: string;

  @ApiPropertyOptional({ format: 'date-time', description: '`deadline_changed`: when the organization became aware.' })
  awareAt?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: '`deadline_changed`: the milestone completed (its label), null when the deadlines were set.',
  })
  milestone?: string | null;

  @ApiPropertyOptional({ type: CorrelationViewDto, description: '`correlated`: as the incident’s detail words it.' })
  correlation?: CorrelationViewDto;

  @ApiPropertyOptional({
    oneOf: [{ type: 'string' }, { $ref: '#/components/schemas/RecipientsViewDto' }],
    nullable: true,
    description:
      '`status_changed`, `tlp_changed`: the old value; `recipients_changed`: the old recipients; `assigned`: the old assignee.',
  })
  from?: unknown;

  @ApiPropertyOptional({
    oneOf: [{ type: 'string' }, { $ref: '#/components/schemas/RecipientsViewDto' }],
    nullable: true,
    description: 'The new value, as `from`.',
  })
  to?: unknown;

  @ApiPropertyOptional({ type: CommentViewDto, description: '`commented`: = the entry of GET …/comments.' })
  comment?: CommentViewDto;

  @ApiPropertyOptional({ type: SightingViewDto, description: '`sighted`: = the entry of GET …/sightings.' })
  sighting?: SightingViewDto;
}

export class TimelinePageDto {
  @ApiProperty({ type: [TimelineEntryDto] })
  items!: TimelineEntryDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null at the end.' })
  nextCursor!: string | null;
}
