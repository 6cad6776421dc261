import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import {
  DISCLOSURE_LEVELS,
  INCIDENT_STATUSES,
  PAP_LEVELS,
  TLP_LEVELS,
  type Disclosure,
  type IncidentStatus,
  type Pap,
  type Tlp,
} from '@corridor/domain';
import { RecipientsDto } from './recipients.dto';

export class UpdateIncidentDto {
  @ApiPropertyOptional({
    enum: INCIDENT_STATUSES,
    description:
      'new → triaged → investigating → contained → resolved → closed; forward moves may skip steps, a ' +
      'resolved or closed incident reopens to investigating. Any other move: 409 with `details.allowed`.',
  })
  @IsOptional()
  @IsIn(INCIDENT_STATUSES)
  status?: IncidentStatus;

  @ApiPropertyOptional({ enum: TLP_LEVELS, description: 'Takes effect at once, also for connected sockets.' })
  @IsOptional()
  @IsIn(TLP_LEVELS)
  tlp?: Tlp;

  @ApiPropertyOptional({
    enum: PAP_LEVELS,
    description: 'The incident’s PAP; indicators submitted without a PAP of their own follow it.',
  })
  @IsOptional()
  @IsIn(PAP_LEVELS)
  pap?: Pap;

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

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'A user of the submitting organization to work on it; null unassigns.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  assigneeId?: string | null;
}
