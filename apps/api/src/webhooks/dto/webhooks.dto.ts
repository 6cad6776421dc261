import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Length,
  MaxLength,
} from 'class-validator';
import {
  CHANNEL_TLP_LEVELS,
  MAX_WEBHOOK_URL_LENGTH,
  NOTIFICATION_TYPES,
  TLP_LEVELS,
  WEBHOOK_DELIVERY_STATES,
  type NotificationType,
  type Tlp,
} from '@corridor/domain';

const MAX_DESCRIPTION = 500;
const TLP_MESSAGE = `maxTlp must be one of ${CHANNEL_TLP_LEVELS.join(', ')} (TLP:RED content never leaves by webhook)`;

/** POST /api/v1/webhooks/endpoints. */
export class CreateWebhookEndpointDto {
  @ApiProperty({
    example: 'https://soc.example.gov/hooks/corridor',
    maxLength: MAX_WEBHOOK_URL_LENGTH,
    description:
      'http:// or https://. Its host must resolve to global unicast addresses only (not loopback, private, ' +
      'link-local, CGNAT, unique-local, multicast or a cloud metadata address) unless inside WEBHOOK_ALLOWED_CIDRS.',
  })
  @IsString()
  @Length(1, MAX_WEBHOOK_URL_LENGTH)
  url!: string;

  @ApiProperty({ enum: NOTIFICATION_TYPES, isArray: true, description: 'The notification types it receives.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(NOTIFICATION_TYPES.length)
  @IsIn(NOTIFICATION_TYPES, { each: true })
  eventTypes!: NotificationType[];

  @ApiPropertyOptional({
    enum: CHANNEL_TLP_LEVELS,
    default: 'GREEN',
    description: 'The highest TLP whose content it carries; above it only the type, ids and label. Never RED.',
  })
  @IsOptional()
  @IsIn(CHANNEL_TLP_LEVELS, { message: TLP_MESSAGE })
  maxTlp?: Tlp;

  @ApiPropertyOptional({ maxLength: MAX_DESCRIPTION })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DESCRIPTION)
  description?: string;
}

/** PATCH /api/v1/webhooks/endpoints/:id: what is given changes. */
export class UpdateWebhookEndpointDto {
  @ApiPropertyOptional({ maxLength: MAX_WEBHOOK_URL_LENGTH, description: 'Checked as at registration.' })
  @IsOptional()
  @IsString()
  @Length(1, MAX_WEBHOOK_URL_LENGTH)
  url?: string;

  @ApiPropertyOptional({ enum: NOTIFICATION_TYPES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(NOTIFICATION_TYPES.length)
  @IsIn(NOTIFICATION_TYPES, { each: true })
  eventTypes?: NotificationType[];

  @ApiPropertyOptional({ enum: CHANNEL_TLP_LEVELS })
  @IsOptional()
  @IsIn(CHANNEL_TLP_LEVELS, { message: TLP_MESSAGE })
  maxTlp?: Tlp;

  @ApiPropertyOptional({ description: 'false stops deliveries; true re-enables one disabled (also after a 410).' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ maxLength: MAX_DESCRIPTION })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DESCRIPTION)
  description?: string;
}

/** POST /api/v1/webhooks/endpoints/:id/replay. */
export class ReplayRangeDto {
  @ApiProperty({ format: 'date-time', description: 'Deliveries created at or after this time…' })
  @IsISO8601({ strict: true })
  from!: string;

  @ApiProperty({ format: 'date-time', description: '…and at or before this one.' })
  @IsISO8601({ strict: true })
  to!: string;
}

/** POST /api/v1/webhooks/endpoints/:id/test. */
export class TestWebhookDto {
  @ApiPropertyOptional({
    enum: TLP_LEVELS,
    default: 'CLEAR',
    description: 'The label of the test notification: shows what the endpoint receives of such information.',
  })
  @IsOptional()
  @IsIn(TLP_LEVELS)
  tlp?: Tlp;

  @ApiPropertyOptional({ description: 'Content of the test notification (flat JSON).', type: Object })
  @IsOptional()
  @IsObject()
  content?: Record<string, unknown>;
}

export class WebhookEndpointDto {
  @ApiProperty({ example: 'whe-…' })
  id!: string;

  @ApiProperty()
  url!: string;

  @ApiProperty({ enum: NOTIFICATION_TYPES, isArray: true })
  eventTypes!: string[];

  @ApiProperty({ enum: CHANNEL_TLP_LEVELS })
  maxTlp!: string;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({
    enum: ['gone', 'admin'],
    nullable: true,
    description: '`gone`: the endpoint answered 410; `admin`: an org-admin disabled it.',
  })
  disabledReason!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    description: 'After a rotation: until when the previous secret still signs beside the new one.',
  })
  previousSecretExpiresAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class WebhookEndpointWithSecretDto extends WebhookEndpointDto {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The signing secret (Standard Webhooks format). Shown in this answer only.',
  })
  secret!: string;
}

export class WebhookAttemptDto {
  @ApiProperty({ description: '0 for the first sending, +1 per replay.' })
  round!: number;

  @ApiProperty({ description: 'From 1 within its round.' })
  attempt!: number;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'The answer’s HTTP status; null when none came.' })
  status!: number | null;

  @ApiProperty()
  durationMs!: number;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'When another attempt follows: after how many ms.' })
  retryInMs!: number | null;
}

export class WebhookDeliveryDto {
  @ApiProperty({ example: 'msg_…', description: 'Sent as `webhook-id` on every attempt and replay.' })
  id!: string;

  @ApiProperty()
  endpointId!: string;

  @ApiProperty()
  notificationId!: string;

  @ApiProperty({ enum: NOTIFICATION_TYPES })
  type!: string;

  @ApiProperty({ enum: TLP_LEVELS })
  tlp!: string;

  @ApiProperty({ enum: WEBHOOK_DELIVERY_STATES })
  state!: string;

  @ApiProperty()
  round!: number;

  @ApiProperty({ type: [WebhookAttemptDto] })
  attempts!: WebhookAttemptDto[];

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  nextAttemptAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class WebhookDeliveryPageDto {
  @ApiProperty({ type: [WebhookDeliveryDto] })
  items!: WebhookDeliveryDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class ReplayResultDto {
  @ApiProperty({ description: 'Deliveries sent again.' })
  replayed!: number;

  @ApiProperty({ type: [String] })
  deliveryIds!: string[];
}
