import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { INDICATOR_TYPES, MAX_RETRACTION_REASON, type IndicatorType } from '@corridor/domain';

export class RetractIncidentDto {
  @ApiProperty({
    example: 'Submitted in error: test data from an exercise.',
    maxLength: MAX_RETRACTION_REASON,
    description: 'Why: kept in the tombstone and told to those who may see the incident.',
  })
  @IsString()
  @Length(1, MAX_RETRACTION_REASON)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}

export class RetractIndicatorDto extends RetractIncidentDto {
  @ApiProperty({
    example: '203.0.113[.]7',
    maxLength: 2048,
    description: 'The indicator as submitted or as stored; read (refanged, made canonical) as indicators are.',
  })
  @IsString()
  @Length(1, 2048)
  value!: string;

  @ApiPropertyOptional({ enum: INDICATOR_TYPES, description: 'When the value alone is ambiguous.' })
  @IsOptional()
  @IsIn(INDICATOR_TYPES)
  type?: IndicatorType;
}

export class RetractionDto {
  @ApiProperty({ example: 'retraction-4be1c0d5a8f2e7b3c6d9a0e1f2b3c4d5' }) id!: string;
  @ApiProperty({ enum: ['incident', 'indicator'] }) scope!: string;
  @ApiProperty() incidentId!: string;
  @ApiProperty({
    description: 'Indicator scope: its type and SHA-256 of `type:value` (never the value).',
    nullable: true,
  })
  indicator!: { type: string; digest: string } | null;
  @ApiProperty() reason!: string;
  @ApiProperty() by!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ enum: ['pending', 'done'] }) state!: string;
  @ApiProperty({ description: 'Ids of the correlations and alerts withdrawn.' })
  withdrawn!: { correlationIds: string[]; alertIds: string[] };
  @ApiProperty({
    description: 'How many were told: live readers (organizations, people, keys), webhook endpoints, e-mails.',
  })
  told!: { readers: number; webhookEndpoints: number; emails: number };
  @ApiProperty({ nullable: true }) doneAt!: string | null;
}
