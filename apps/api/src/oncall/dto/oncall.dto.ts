import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  MAX_DELAY_MINUTES,
  MAX_ESCALATION_LEVELS,
  MAX_ESCALATION_REPEAT,
  MAX_LENGTH_DAYS,
  MAX_LEVEL_TARGETS,
  MAX_POLICY_NAME_LENGTH,
  MAX_ROTATION_USERS,
  MAX_ROTATIONS,
  MAX_SCHEDULE_NAME_LENGTH,
} from '@corridor/domain';
import { IsCalendarDateTime } from '../../common/calendar-date';

export class RotationDto {
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: MAX_ROTATION_USERS,
    description: 'User ids of people of the organization, in turn order (the first takes the first shift).',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ROTATION_USERS)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  users!: string[];

  @ApiProperty({
    example: '09:00',
    description: 'Local wall-clock time of every handover in the schedule’s zone, HH:mm.',
  })
  @IsString()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'handover must be a local time HH:mm (00:00 to 23:59)' })
  handover!: string;

  @ApiProperty({ example: 7, minimum: 1, maximum: MAX_LENGTH_DAYS, description: 'Days per shift: 1 daily, 7 weekly.' })
  @IsInt()
  @Min(1)
  @Max(MAX_LENGTH_DAYS)
  lengthDays!: number;

  @ApiProperty({ example: '2026-03-02', description: 'Local date (YYYY-MM-DD) of the first shift’s handover.' })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'startDate must be a date YYYY-MM-DD' })
  startDate!: string;
}

/** POST and PUT /api/v1/oncall/schedules. */
export class ScheduleInputDto {
  @ApiProperty({ example: 'Primary on-call', maxLength: MAX_SCHEDULE_NAME_LENGTH })
  @IsString()
  @Length(1, MAX_SCHEDULE_NAME_LENGTH)
  name!: string;

  @ApiProperty({ example: 'Asia/Riyadh', description: 'IANA time zone the handover times are read in.' })
  @IsString()
  @MaxLength(64)
  timeZone!: string;

  @ApiProperty({ type: [RotationDto], minItems: 1, maxItems: MAX_ROTATIONS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ROTATIONS)
  @ValidateNested({ each: true })
  @Type(() => RotationDto)
  rotations!: RotationDto[];

  @ApiPropertyOptional({
    description:
      'PUT only: the version the change was based on (from a read). When given and the schedule changed meanwhile, 409 and nothing is written.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

/** POST /api/v1/oncall/schedules/:id/overrides. */
export class OverrideInputDto {
  @ApiProperty({ description: 'A person of the organization, on call instead of the rotations.' })
  @IsString()
  @Length(1, 100)
  userId!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T18:00:00Z', description: 'Start (inclusive).' })
  @IsCalendarDateTime()
  from!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-03T06:00:00Z', description: 'End (exclusive), after from.' })
  @IsCalendarDateTime()
  to!: string;
}

export class OverrideDto {
  @ApiProperty() id!: string;
  @ApiProperty() userId!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
}

export class RotationViewDto {
  @ApiProperty({ type: [String] }) users!: string[];
  @ApiProperty({ example: '09:00' }) handover!: string;
  @ApiProperty({ example: 7 }) lengthDays!: number;
  @ApiProperty({ example: '2026-03-02' }) startDate!: string;
}

export class ScheduleDto {
  @ApiProperty() id!: string;
  @ApiProperty() orgId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'Asia/Riyadh' }) timeZone!: string;
  @ApiProperty({ type: [RotationViewDto] }) rotations!: RotationViewDto[];
  @ApiProperty({ type: [OverrideDto] }) overrides!: OverrideDto[];
  @ApiProperty({ description: 'Counts changes; send it back with PUT to refuse a lost update.' }) version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class TargetDto {
  @ApiProperty({ enum: ['schedule', 'user'], description: '`schedule`: whoever is on call in it; `user`: one person.' })
  @IsIn(['schedule', 'user'])
  kind!: 'schedule' | 'user';

  @ApiPropertyOptional({ description: 'With kind schedule: a schedule of the organization.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  scheduleId?: string;

  @ApiPropertyOptional({ description: 'With kind user: a person of the organization.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  userId?: string;
}

export class LevelDto {
  @ApiProperty({ type: [TargetDto], minItems: 1, maxItems: MAX_LEVEL_TARGETS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LEVEL_TARGETS)
  @ValidateNested({ each: true })
  @Type(() => TargetDto)
  targets!: TargetDto[];

  @ApiProperty({
    example: 15,
    maximum: MAX_DELAY_MINUTES,
    description: 'Minutes to wait, unacknowledged, before the next level (fractions allowed: 0.5 = 30 s).',
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(MAX_DELAY_MINUTES)
  delayMinutes!: number;
}

/** POST and PUT /api/v1/oncall/policies. */
export class PolicyInputDto {
  @ApiProperty({ example: 'Critical incidents', maxLength: MAX_POLICY_NAME_LENGTH })
  @IsString()
  @Length(1, MAX_POLICY_NAME_LENGTH)
  name!: string;

  @ApiProperty({ type: [LevelDto], minItems: 1, maxItems: MAX_ESCALATION_LEVELS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ESCALATION_LEVELS)
  @ValidateNested({ each: true })
  @Type(() => LevelDto)
  levels!: LevelDto[];

  @ApiProperty({
    example: 1,
    minimum: 0,
    maximum: MAX_ESCALATION_REPEAT,
    description: 'How many more times the levels run after the first pass; then the org-admins are paged.',
  })
  @IsInt()
  @Min(0)
  @Max(MAX_ESCALATION_REPEAT)
  repeat!: number;

  @ApiPropertyOptional({ description: 'PUT only: the version the change was based on; 409 when it changed meanwhile.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class TargetViewDto {
  @ApiProperty({ enum: ['schedule', 'user'] }) kind!: string;
  @ApiPropertyOptional() scheduleId?: string;
  @ApiPropertyOptional() userId?: string;
}

export class LevelViewDto {
  @ApiProperty({ type: [TargetViewDto] }) targets!: TargetViewDto[];
  @ApiProperty() delayMinutes!: number;
}

export class PolicyDto {
  @ApiProperty() id!: string;
  @ApiProperty() orgId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [LevelViewDto] }) levels!: LevelViewDto[];
  @ApiProperty() repeat!: number;
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class OnCallPersonDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
}

export class OnCallNowDto {
  @ApiProperty() scheduleId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'Asia/Riyadh' }) timeZone!: string;
  @ApiProperty({
    type: [OnCallPersonDto],
    description: 'Who is on call, in rotation order (an override replaces all).',
  })
  onCall!: OnCallPersonDto[];
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'The next instant the answer may change (a handover or an override’s start or end).',
  })
  nextHandover!: string | null;
}

export class OnCallNowPageDto {
  @ApiProperty({ format: 'date-time', description: 'The instant asked about (now, or `at`).' })
  at!: string;
  @ApiProperty({ type: [OnCallNowDto] }) schedules!: OnCallNowDto[];
}

export class OnCallNowQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'Preview another instant (ISO 8601); default now.' })
  @IsOptional()
  @IsCalendarDateTime()
  at?: string;
}
