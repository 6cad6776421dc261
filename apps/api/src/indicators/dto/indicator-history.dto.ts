import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { INDICATOR_TYPES } from '@corridor/domain';

export class IndicatorHistoryQuery {
  @ApiProperty({ example: '198.51.100[.]23', description: 'An indicator in any form; it is normalized first.' })
  @IsString()
  @Length(1, 2048)
  value!: string;
}

export class IndicatorHistoryDto {
  @ApiProperty({ enum: INDICATOR_TYPES })
  type!: string;

  @ApiProperty({ description: 'Canonical form.' })
  value!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    description: "Earliest of the incidents' occurredAt and their sightings' firstSeen; null when none.",
  })
  firstSeen!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    description: "Latest of the incidents' occurredAt and their sightings' lastSeen; null when none.",
  })
  lastSeen!: string | null;

  @ApiProperty({ description: 'Incidents carrying the exact value, among those the caller may see.' })
  incidents!: number;

  @ApiProperty({ description: 'Organizations that reported it in those incidents or sighted it on them.' })
  organizations!: number;

  @ApiProperty({ description: 'Sightings of kind `seen` on those incidents, summed by their count.' })
  sightings!: number;

  @ApiProperty({ description: 'More than 1000 visible incidents carry it: the counts cover the newest 1000.' })
  truncated!: boolean;
}
