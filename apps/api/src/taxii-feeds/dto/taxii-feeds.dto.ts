import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  MAX_WEBHOOK_URL_LENGTH,
  TAXII_POLL_INTERVAL_MAX_S,
  TAXII_POLL_INTERVAL_MIN_S,
  TLP_LEVELS,
  type Tlp,
} from '@corridor/domain';

/** How Corridor authenticates to the partner's server; never returned once stored. */
export class TaxiiFeedAuthDto {
  @ApiProperty({ enum: ['basic', 'bearer', 'none'] })
  @IsIn(['basic', 'bearer', 'none'])
  kind!: 'basic' | 'bearer' | 'none';

  @ApiPropertyOptional({ description: 'HTTP Basic user name (kind basic).' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(/^[^:\p{Cc}]+$/u, { message: 'username must hold no colon or control character' })
  username?: string;

  @ApiPropertyOptional({ description: 'HTTP Basic password (kind basic).' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  password?: string;

  @ApiPropertyOptional({ description: 'Bearer token (kind bearer).' })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  @Matches(/^[\x21-\x7e]+$/, { message: 'token must be printable ASCII without spaces' })
  token?: string;
}

const ID = /^[A-Za-z0-9._~-]{1,200}$/;

/** POST /api/v1/taxii-feeds. */
export class CreateTaxiiFeedDto {
  @ApiProperty({ maxLength: 200, example: 'Partner CERT indicators' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({
    example: 'https://taxii.partner.example/api1/',
    description:
      'The TAXII 2.1 API root. http:// or https://; its host must resolve to global unicast addresses unless inside TAXII_ALLOWED_CIDRS.',
  })
  @IsString()
  @Length(1, MAX_WEBHOOK_URL_LENGTH)
  apiRoot!: string;

  @ApiProperty({ example: '91a7b528-80eb-42ed-a74d-c6fbd5a26116' })
  @IsString()
  @Matches(ID, { message: 'collectionId must be 1 to 200 URL-safe characters' })
  collectionId!: string;

  @ApiProperty({ type: TaxiiFeedAuthDto, description: 'Stored; never returned by the API.' })
  @ValidateNested()
  @Type(() => TaxiiFeedAuthDto)
  auth!: TaxiiFeedAuthDto;

  @ApiPropertyOptional({ nullable: true, description: 'One of the organization’s communities.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  communityId?: string | null;

  @ApiPropertyOptional({ enum: TLP_LEVELS, default: 'AMBER+STRICT', description: 'TLP of objects without a marking.' })
  @IsOptional()
  @IsIn(TLP_LEVELS)
  defaultTlp?: Tlp;

  @ApiPropertyOptional({ minimum: TAXII_POLL_INTERVAL_MIN_S, maximum: TAXII_POLL_INTERVAL_MAX_S, default: 3600 })
  @IsOptional()
  @IsInt()
  @Min(TAXII_POLL_INTERVAL_MIN_S)
  @Max(TAXII_POLL_INTERVAL_MAX_S)
  pollIntervalSeconds?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

/** PATCH /api/v1/taxii-feeds/:id (a new apiRoot or collectionId starts the cursor afresh). */
export class UpdateTaxiiFeedDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, MAX_WEBHOOK_URL_LENGTH) apiRoot?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(ID, { message: 'collectionId must be 1 to 200 URL-safe characters' })
  collectionId?: string;
  @ApiPropertyOptional({ type: TaxiiFeedAuthDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TaxiiFeedAuthDto)
  auth?: TaxiiFeedAuthDto;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @Length(1, 100) communityId?: string | null;
  @ApiPropertyOptional({ enum: TLP_LEVELS }) @IsOptional() @IsIn(TLP_LEVELS) defaultTlp?: Tlp;
  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(TAXII_POLL_INTERVAL_MIN_S)
  @Max(TAXII_POLL_INTERVAL_MAX_S)
  pollIntervalSeconds?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean;
}

/** A feed as the API returns it: credentials never, only their kind. */
export class TaxiiFeedDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() apiRoot!: string;
  @ApiProperty() collectionId!: string;
  @ApiProperty({ enum: ['basic', 'bearer', 'none'] }) authKind!: string;
  @ApiProperty({ nullable: true, type: String }) communityId!: string | null;
  @ApiProperty({ enum: TLP_LEVELS }) defaultTlp!: Tlp;
  @ApiProperty() pollIntervalSeconds!: number;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ description: '`next` and `addedAfter` (the last X-TAXII-Date-Added-Last).' })
  cursor!: { next: string | null; addedAfter: string | null };
  @ApiProperty({ nullable: true, description: 'What the last pull did.' }) lastRun!: Record<string, unknown> | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}
