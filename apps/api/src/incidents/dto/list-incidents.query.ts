import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsCalendarDateTime } from '../../common/calendar-date';
import {
  INCIDENT_STATES,
  INCIDENT_STATUSES,
  SEVERITIES,
  type IncidentState,
  type IncidentStatus,
  type Severity,
} from '@corridor/domain';
import { PageQuery } from '../../common/page.query';

export class ListIncidentsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: INCIDENT_STATUSES, description: 'The analysts’ workflow status (as in PATCH).' })
  @IsOptional()
  @IsIn(INCIDENT_STATUSES)
  status?: IncidentStatus;

  @ApiPropertyOptional({ enum: INCIDENT_STATES, description: 'The processing state.' })
  @IsOptional()
  @IsIn(INCIDENT_STATES)
  state?: IncidentState;

  @ApiPropertyOptional({ enum: SEVERITIES })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: Severity;

  @ApiPropertyOptional({ example: 'fraud/phishing', description: 'An RSIT class, or class/type.' })
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,60}(\/[a-z0-9-]{1,60})?$/, { message: 'classification must look like class or class/type' })
  classification?: string;

  @ApiPropertyOptional({
    example: '2026-11-01T00:00:00Z',
    description: 'Only incidents received at or after this time.',
  })
  @IsOptional()
  @IsCalendarDateTime()
  since?: string;

  @ApiPropertyOptional({ example: 'me', description: 'Incidents assigned to `me` (the caller) or to a user id.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,100}$/, { message: 'assignee must be me or a user id' })
  assignee?: string;

  @ApiPropertyOptional({
    example: 'evil-example',
    maxLength: 200,
    description: 'Free text, case-insensitive, in the title, the description or an indicator value.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;
}
