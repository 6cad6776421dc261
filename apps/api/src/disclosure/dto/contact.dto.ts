import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { CONTACT_STATUSES, type ContactStatus } from '@corridor/domain';

export class RequestContactDto {
  @ApiProperty({
    description: 'Your own incident in the correlation: the side you ask from.',
    example: '0193a7c2-5b1e-7c3d-9f00-3a1b2c3d4e5f',
  })
  @IsString()
  @Length(1, 100)
  yourIncidentId!: string;
}

export class OrganizationRefDto {
  @ApiProperty({ type: String, nullable: true, description: 'Null when the organization is not named to you.' })
  id!: string | null;

  @ApiProperty({ example: 'CERT-PK' })
  name!: string;
}

/** A contact request as one side sees it: who the other side is only once the owner accepted. */
export class ContactViewDto {
  @ApiProperty({ example: 'contact-3f1c…' })
  id!: string;

  @ApiProperty({ enum: ['outgoing', 'incoming'], description: 'outgoing: your organization asked.' })
  direction!: 'outgoing' | 'incoming';

  @ApiProperty({ enum: CONTACT_STATUSES })
  status!: ContactStatus;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  answeredAt!: string | null;

  @ApiPropertyOptional({ type: OrganizationRefDto, description: 'The other organization; only once accepted.' })
  organization?: OrganizationRefDto;

  @ApiPropertyOptional({ description: 'The other side’s incident id; only once accepted (you may still not see it).' })
  incidentId?: string;
}

/** = the `contact.requested` / `contact.answered` live events, without `eventId`. */
export class ContactEventDto {
  @ApiProperty()
  correlationId!: string;

  @ApiProperty({ description: 'Your organization’s incident in the correlation.' })
  yourIncidentId!: string;

  @ApiProperty({ type: ContactViewDto })
  contact!: ContactViewDto;
}
