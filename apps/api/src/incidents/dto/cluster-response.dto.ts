import { ApiProperty } from '@nestjs/swagger';
import {
  CORRELATION_KINDS,
  CORRELATION_STRENGTHS,
  INCIDENT_STATES,
  INCIDENT_STATUSES,
  INDICATOR_TYPES,
  SEVERITIES,
  TLP_LEVELS,
} from '@corridor/domain';
import { ClassificationViewDto, OrganizationRefDto } from './incident-response.dto';

/** An incident of the cluster: the summary every reader is told (as in the list), and `root`. */
export class ClusterNodeDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: OrganizationRefDto, description: 'As the list item shows it.' })
  organization!: OrganizationRefDto;

  @ApiProperty()
  title!: string;

  @ApiProperty({ enum: SEVERITIES })
  severity!: string;

  @ApiProperty({ enum: TLP_LEVELS })
  tlp!: string;

  @ApiProperty({ type: ClassificationViewDto })
  classification!: ClassificationViewDto;

  @ApiProperty({ enum: INCIDENT_STATES, description: 'Processing state.' })
  state!: string;

  @ApiProperty({ enum: INCIDENT_STATUSES, description: 'The analysts’ workflow status.' })
  status!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ description: 'The incident the cluster was asked for.' })
  root!: boolean;
}

export class EdgeIndicatorDto {
  @ApiProperty({ enum: INDICATOR_TYPES })
  type!: string;

  @ApiProperty({ description: 'Canonical form.' })
  value!: string;
}

export class SharedIndicatorDto extends EdgeIndicatorDto {
  @ApiProperty({ enum: CORRELATION_KINDS })
  kind!: string;

  @ApiProperty({ enum: CORRELATION_STRENGTHS })
  strength!: string;

  @ApiProperty({
    type: EdgeIndicatorDto,
    nullable: true,
    description: 'The target’s indicator when it is not the same value (`type`/`value` are the source’s).',
  })
  matched!: EdgeIndicatorDto | null;
}

export class ClusterEdgeDto {
  @ApiProperty({ description: 'The incident whose processing found the match.' })
  source!: string;

  @ApiProperty({ description: 'The earlier incident it matched.' })
  target!: string;

  @ApiProperty({
    type: [SharedIndicatorDto],
    description: 'Every correlation between the two incidents, with its kind.',
  })
  indicators!: SharedIndicatorDto[];
}

export class IncidentClusterDto {
  @ApiProperty({ type: [ClusterNodeDto], description: 'Only incidents the caller may see; the root first.' })
  nodes!: ClusterNodeDto[];

  @ApiProperty({ type: [ClusterEdgeDto], description: 'Only between nodes; one per pair of incidents.' })
  edges!: ClusterEdgeDto[];

  @ApiProperty({ description: 'More than 200 nodes, or more correlations than one hop reads: some are left out.' })
  truncated!: boolean;
}
