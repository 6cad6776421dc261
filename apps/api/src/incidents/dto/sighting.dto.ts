import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import {
  INDICATOR_TYPES,
  SIGHTING_KINDS,
  SIGHTING_NOTE_MAX,
  type IndicatorType,
  type SightingKind,
} from '@corridor/domain';
import { IsCalendarDateTime, NotInTheFuture } from '../../common/calendar-date';

/** The most one sighting may count (a bound, so sums stay exact numbers). */
export const MAX_SIGHTING_COUNT = 1_000_000_000;

export class SightingIndicatorDto {
  @ApiProperty({ example: 'evil-example[.]com', maxLength: 2048, description: 'In any form: defanged, upper-case…' })
  @IsString()
  @Length(1, 2048)
  value!: string;

  @ApiPropertyOptional({ enum: INDICATOR_TYPES, description: 'When given, the value must parse as this type.' })
  @IsOptional()
  @IsIn(INDICATOR_TYPES)
  type?: IndicatorType;
}

/** A plain string becomes `{ value }`, so callers may send either. */
function toSightingIndicator({ value }: { value: unknown }): unknown {
  if (typeof value === 'string') return plainToInstance(SightingIndicatorDto, { value });
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return plainToInstance(SightingIndicatorDto, value);
  return value;
}

/** `lastSeen` may not come before `firstSeen` (checked once both are valid dates). */
function NotBeforeFirstSeen(): PropertyDecorator {
  return ValidateBy({
    name: 'notBeforeFirstSeen',
    validator: {
      validate: (value, args) => {
        const first = (args?.object as { firstSeen?: unknown }).firstSeen;
        if (typeof value !== 'string' || typeof first !== 'string') return true;
        const [from, to] = [Date.parse(first), Date.parse(value)];
        return Number.isNaN(from) || Number.isNaN(to) || to >= from;
      },
      defaultMessage: () => 'lastSeen must not be before firstSeen',
    },
  });
}

@ApiExtraModels(SightingIndicatorDto)
export class ReportSightingDto {
  @ApiProperty({
    oneOf: [{ type: 'string' }, { $ref: getSchemaPath(SightingIndicatorDto) }],
    example: '203.0.113[.]7',
    description: 'One of the incident’s indicators, written in any form (it is normalized as on submission).',
  })
  @Transform(toSightingIndicator)
  @IsObject({ message: 'indicator must be a string or an object {type, value}' })
  @ValidateNested()
  indicator!: SightingIndicatorDto;

  @ApiProperty({
    enum: SIGHTING_KINDS,
    description: '`seen`: observed; `false-positive`: harmless where you looked; `expired`: no longer in use.',
  })
  @IsIn(SIGHTING_KINDS)
  kind!: SightingKind;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_SIGHTING_COUNT, default: 1, description: 'How many times.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_SIGHTING_COUNT)
  count?: number;

  @ApiPropertyOptional({ example: '2026-11-28T01:00:00Z', description: 'ISO 8601 date-time; not in the future.' })
  @IsOptional()
  @IsCalendarDateTime()
  @NotInTheFuture()
  firstSeen?: string;

  @ApiPropertyOptional({
    example: '2026-11-28T05:00:00Z',
    description: 'ISO 8601 date-time; not before `firstSeen`, not in the future.',
  })
  @IsOptional()
  @IsCalendarDateTime()
  @NotInTheFuture()
  @NotBeforeFirstSeen()
  lastSeen?: string;

  @ApiPropertyOptional({ example: 'In our proxy logs, 3 hosts.', maxLength: SIGHTING_NOTE_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(SIGHTING_NOTE_MAX)
  @Matches(/\S/, { message: 'note must not be blank' })
  note?: string;
}
