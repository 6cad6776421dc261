import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, ValidateNested } from 'class-validator';
import {
  DISCLOSURE_LEVELS,
  INCIDENT_STATUSES,
  TLP_LEVELS,
  type Disclosure,
  type IncidentStatus,
  type Tlp,
} from '@corridor/domain';
import { RecipientsDto } from './recipients.dto';

export class UpdateIncidentDto {
  @ApiPropertyOptional({ enum: INCIDENT_STATUSES })
  @IsOptional()
  @IsIn(INCIDENT_STATUSES)
  status?: IncidentStatus;

  @ApiPropertyOptional({ enum: TLP_LEVELS, description: 'Takes effect at once, also for connected sockets.' })
  @IsOptional()
  @IsIn(TLP_LEVELS)
  tlp?: Tlp;

  @ApiPropertyOptional({
    type: RecipientsDto,
    description:
      'Replaces both recipient lists (one left out becomes empty). The TLP and recipients the change leaves ' +
      'must fit: e.g. AMBER with organizations changed to RED needs "organizations": [] in the same request.',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RecipientsDto)
  recipients?: RecipientsDto;

  @ApiPropertyOptional({
    enum: DISCLOSURE_LEVELS,
    nullable: true,
    description: 'Overrides your organization’s disclosure policy for this incident; null removes the override.',
  })
  @IsOptional()
  @IsIn(DISCLOSURE_LEVELS)
  disclosure?: Disclosure | null;
}
