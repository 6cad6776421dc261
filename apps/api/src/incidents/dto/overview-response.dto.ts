import { ApiProperty } from '@nestjs/swagger';
import { INDICATOR_TYPES, RSIT_CLASSES, SEVERITIES } from '@corridor/domain';
import { OrganizationRefDto } from './incident-response.dto';

/** A count per key, every key present. */
const counts = (keys: readonly string[]) => ({
  type: 'object' as const,
  properties: Object.fromEntries(keys.map((key) => [key, { type: 'number' as const }])),
  required: [...keys],
});

export class OverviewDayDto {
  @ApiProperty({ example: '2026-11-24', description: 'UTC calendar date.' })
  date!: string;

  @ApiProperty({ description: 'Incidents received that day.' })
  total!: number;

  @ApiProperty({ ...counts(RSIT_CLASSES), description: 'Every RSIT class, zeros included.' })
  byClassification!: Record<string, number>;

  @ApiProperty({ ...counts(SEVERITIES), description: 'Every severity, zeros included.' })
  bySeverity!: Record<string, number>;
}

export class TopIndicatorDto {
  @ApiProperty({ enum: INDICATOR_TYPES })
  type!: string;

  @ApiProperty({ description: 'Canonical form.' })
  value!: string;

  @ApiProperty({ description: 'How many of the counted incidents carry it (at least 2).' })
  incidents!: number;
}

export class PartnerActivityDto {
  @ApiProperty({
    type: OrganizationRefDto,
    description: 'As the list item shows it; all organizations anonymised to the caller share one row per label.',
  })
  organization!: OrganizationRefDto;

  @ApiProperty()
  incidents!: number;

  @ApiProperty({ format: 'date-time', description: 'When its latest counted incident was received.' })
  lastAt!: string;
}

export class OverviewDto {
  @ApiProperty({ format: 'date-time', description: 'The start (UTC midnight) of the first day.' })
  from!: string;

  @ApiProperty({ format: 'date-time', description: 'When the overview was computed.' })
  to!: string;

  @ApiProperty({ type: [OverviewDayDto], description: 'Every day of the range, oldest first, zeros included.' })
  days!: OverviewDayDto[];

  @ApiProperty({ type: [TopIndicatorDto], description: 'Up to 10, most shared first.' })
  topIndicators!: TopIndicatorDto[];

  @ApiProperty({
    type: [PartnerActivityDto],
    description: 'Most active first (the caller’s own organization included).',
  })
  partners!: PartnerActivityDto[];
}
