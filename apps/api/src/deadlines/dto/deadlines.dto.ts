import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { MAX_MILESTONES, MAX_OFFSET_PART } from '@corridor/domain';
import { IsCalendarDateTime } from '../../common/calendar-date';

const part = (description: string) =>
  ApiPropertyOptional({ minimum: 0, maximum: MAX_OFFSET_PART, description: `Whole ${description}.` });

export class DeadlineOffsetDto {
  @part('calendar months (a day past the target month’s end is clamped to its last day)')
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET_PART)
  months?: number;

  @part('days of 24 h')
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET_PART)
  days?: number;

  @part('hours')
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET_PART)
  hours?: number;

  @part('minutes')
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET_PART)
  minutes?: number;

  @part('seconds')
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET_PART)
  seconds?: number;
}

export class MilestoneDueDto {
  @ApiProperty({ example: 'awareness', description: '`awareness`, or the key of another milestone of the profile.' })
  @IsString()
  @Length(1, 40)
  from!: string;

  @ApiProperty({
    type: DeadlineOffsetDto,
    description: 'At least one part; applied months, days, hours, minutes, seconds.',
  })
  @IsObject()
  @ValidateNested()
  @Type(() => DeadlineOffsetDto)
  offset!: DeadlineOffsetDto;

  @ApiPropertyOptional({
    enum: ['completion', 'due'],
    default: 'completion',
    description:
      'From another milestone: its completion once completed (its due time until then), or always its due time.',
  })
  @IsOptional()
  @IsIn(['completion', 'due'])
  basis?: 'completion' | 'due';
}

export class MilestoneDto {
  @ApiProperty({ example: 'first-notice', description: 'Lower-case letters, digits and -, starting with a letter.' })
  @IsString()
  @Length(1, 40)
  key!: string;

  @ApiProperty({ example: 'First notice to the national authority' })
  @IsString()
  @Length(1, 200)
  label!: string;

  @ApiProperty({ type: MilestoneDueDto })
  @IsObject()
  @ValidateNested()
  @Type(() => MilestoneDueDto)
  due!: MilestoneDueDto;
}

/** POST and PUT /api/v1/deadline-profiles. */
export class DeadlineProfileInputDto {
  @ApiProperty({ example: 'National 6-hour rule' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ type: [MilestoneDto], minItems: 1, maxItems: MAX_MILESTONES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MILESTONES)
  @ValidateNested({ each: true })
  @Type(() => MilestoneDto)
  milestones!: MilestoneDto[];
}

export class MilestoneViewDto {
  @ApiProperty() key!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ type: MilestoneDueDto }) due!: MilestoneDueDto;
}

export class DeadlineProfileDto {
  @ApiProperty({ example: 'nis2', description: '`nis2` for the built-in NIS2 profile, else a UUID.' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Built in (read-only) or the organization’s own.' }) builtIn!: boolean;
  @ApiProperty({ type: [MilestoneViewDto] }) milestones!: MilestoneViewDto[];
  @ApiPropertyOptional({ format: 'date-time' }) createdAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) updatedAt?: string;
}

export class DeadlineProfilePageDto {
  @ApiProperty({ type: [DeadlineProfileDto] }) items!: DeadlineProfileDto[];
}

/** PUT /api/v1/incidents/:id/deadlines. */
export class SetIncidentDeadlinesDto {
  @ApiProperty({ example: 'nis2', description: '`nis2` or one of the organization’s own profiles.' })
  @IsString()
  @Length(1, 100)
  profileId!: string;

  @ApiProperty({
    format: 'date-time',
    example: '2026-11-24T08:30:00Z',
    description: 'When the organization became aware of the incident; not more than 5 minutes ahead of the server.',
  })
  @IsCalendarDateTime()
  awareAt!: string;
}

/** POST /api/v1/incidents/:id/deadlines/:milestone/complete. */
export class CompleteMilestoneDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'When it was done (default now); not in the future.' })
  @IsOptional()
  @IsCalendarDateTime()
  at?: string;
}

export class MilestoneStateDto {
  @ApiProperty() key!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ format: 'date-time' }) due!: string;
  @ApiProperty({ enum: ['done', 'pending', 'due-soon', 'overdue'] }) status!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) completedAt!: string | null;
}

export class IncidentDeadlinesDto {
  @ApiProperty() incidentId!: string;
  @ApiProperty() profileId!: string;
  @ApiProperty() profileName!: string;
  @ApiProperty({ format: 'date-time' }) awareAt!: string;
  @ApiProperty({ type: [MilestoneStateDto] }) milestones!: MilestoneStateDto[];
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class DeadlinesQuery {
  @ApiPropertyOptional({
    enum: ['due-soon', 'overdue'],
    description: 'Only milestones due within DEADLINE_SOON_HOURS, or past due; without it every open milestone.',
  })
  @IsOptional()
  @IsIn(['due-soon', 'overdue'])
  status?: 'due-soon' | 'overdue';
}

export class DeadlineItemDto {
  @ApiProperty() incidentId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() milestone!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ format: 'date-time' }) due!: string;
  @ApiProperty({ enum: ['pending', 'due-soon', 'overdue'] }) status!: string;
  @ApiProperty() profileId!: string;
  @ApiProperty({
    description:
      'The caller may mark it completed: a person of the incident’s own organization with `incidents:write`.',
  })
  mayComplete!: boolean;
}

export class DeadlinePageDto {
  @ApiProperty({ type: [DeadlineItemDto], description: 'Soonest due first.' }) items!: DeadlineItemDto[];
  @ApiProperty({
    description: 'True when more incidents have open deadlines than one list reads (5000): some may be missing.',
  })
  truncated!: boolean;
}
