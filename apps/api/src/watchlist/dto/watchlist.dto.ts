import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { CORRELATION_KINDS, INDICATOR_TYPES, MAX_WATCH_NOTE_LENGTH, type IndicatorType } from '@corridor/domain';
import { CounterpartDto, IndicatorWarningDto, MatchedIndicatorDto } from '../../incidents/dto/incident-response.dto';

/** POST /api/v1/watchlist: one value to watch. */
export class CreateWatchEntryDto {
  @ApiProperty({
    example: 'login-ministry[.]com',
    maxLength: 2048,
    description:
      'In any form (defanged, upper-case…): stored in its canonical form. A value with user-info is refused.',
  })
  @IsString()
  @Length(1, 2048)
  value!: string;

  @ApiPropertyOptional({ enum: INDICATOR_TYPES, description: 'When given, the value must parse as this type.' })
  @IsOptional()
  @IsIn(INDICATOR_TYPES)
  type?: IndicatorType;

  @ApiPropertyOptional({ maxLength: MAX_WATCH_NOTE_LENGTH, description: 'Why it is watched.' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_WATCH_NOTE_LENGTH)
  note?: string;
}

export class WatchEntryDto {
  @ApiProperty({ example: 'wl-3f9c…', description: 'Stable per organization and canonical value.' })
  id!: string;

  @ApiProperty({ enum: INDICATOR_TYPES })
  type!: string;

  @ApiProperty({ description: 'Canonical form.' })
  value!: string;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;

  @ApiProperty({
    type: [IndicatorWarningDto],
    description:
      'Warning lists the value is on. Such a value is kept (the organization chose it), but incidents carry ' +
      'it without correlating: only its own organization’s incidents hit it by that value.',
  })
  warnings!: IndicatorWarningDto[];

  @ApiProperty({ description: 'The user or API key that added it (`system:cli` for the operator CLI).' })
  createdBy!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class WatchEntryPageDto {
  @ApiProperty({ type: [WatchEntryDto] })
  items!: WatchEntryDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null at the end.' })
  nextCursor!: string | null;
}

export class ImportRejectionDto {
  @ApiProperty({ description: 'Line number in the file, from 1.' })
  line!: number;

  @ApiProperty({ description: 'The value as written (without any user-info).' })
  value!: string;

  @ApiProperty({ enum: ['credential', 'empty', 'too_long', 'unrecognized', 'type_mismatch', 'invalid_value'] })
  reason!: string;

  @ApiProperty()
  message!: string;
}

export class ImportResultDto {
  @ApiProperty({ description: 'New entries.' })
  added!: number;

  @ApiProperty({ description: 'Lines naming a value already on the list, or named by an earlier line.' })
  duplicates!: number;

  @ApiProperty({ type: [ImportRejectionDto] })
  rejected!: ImportRejectionDto[];
}

/** An entry of GET /api/v1/watchlist/hits, and the payload of the live `watchlist.hit`. */
export class WatchHitDto {
  @ApiProperty({ example: 'wh-…', description: 'Stable per watch entry and incident.' })
  id!: string;

  @ApiProperty({ description: 'The watch entry.' })
  watchId!: string;

  @ApiProperty({ type: MatchedIndicatorDto, description: 'The watched value.' })
  watched!: MatchedIndicatorDto;

  @ApiProperty({ enum: CORRELATION_KINDS, description: 'How the incident’s value relates to the watched one.' })
  kind!: string;

  @ApiProperty({ enum: ['strong', 'medium', 'weak'] })
  strength!: string;

  @ApiProperty({
    type: MatchedIndicatorDto,
    nullable: true,
    description: 'The incident’s value when it is not the watched one, only to a reader who may see the incident.',
  })
  matched!: MatchedIndicatorDto | null;

  @ApiProperty({
    type: CounterpartDto,
    description:
      'The incident: in full when the reader may see it, otherwise what its owner discloses of matches (as for a correlation alert).',
  })
  counterpart!: CounterpartDto;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class WatchHitPageDto {
  @ApiProperty({ type: [WatchHitDto] })
  items!: WatchHitDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null at the end.' })
  nextCursor!: string | null;
}
