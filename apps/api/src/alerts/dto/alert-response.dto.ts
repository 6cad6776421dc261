import { ApiProperty } from '@nestjs/swagger';
import { CorrelationViewDto } from '../../incidents/dto/incident-response.dto';

/**
 * GET /api/v1/alerts: each item is the live `correlation.alert` payload (without `eventId`) as it
 * reads now — `acknowledged` is the caller's organization's acknowledgement, `createdAt` the time of
 * the correlation.
 */
export class AlertPageDto {
  @ApiProperty({ type: [CorrelationViewDto] })
  items!: CorrelationViewDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null at the end.' })
  nextCursor!: string | null;
}

export class FalsePositiveMarkDto {
  @ApiProperty({ description: 'The user or API key that marked it.' })
  by!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

export class FalsePositiveStateDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ description: 'The caller’s own incident in the correlation.' })
  yourIncidentId!: string;

  @ApiProperty({ type: FalsePositiveMarkDto, nullable: true, description: 'Null after an undo.' })
  falsePositive!: FalsePositiveMarkDto | null;
}
