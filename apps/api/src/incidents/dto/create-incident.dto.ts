import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { IsCalendarDateTime, NotInTheFuture } from '../../common/calendar-date';
import {
  DISCLOSURE_LEVELS,
  INDICATOR_TYPES,
  PAP_LEVELS,
  RSIT_CLASSES,
  SEVERITIES,
  TLP_LEVELS,
  isRsitClass,
  isRsitType,
  type Disclosure,
  type IndicatorType,
  type Pap,
  type RsitClass,
  type Severity,
  type Tlp,
} from '@corridor/domain';
import { RecipientsDto } from './recipients.dto';

export const MAX_INDICATORS = 1000;
/** Printable text without control characters. */
const PRINTABLE = /^[^\p{Cc}]+$/u;

export class IndicatorInputDto {
  @ApiProperty({ example: 'hxxp://evil-example[.]com/login', maxLength: 2048 })
  @IsString()
  @Length(1, 2048)
  value!: string;

  @ApiPropertyOptional({ enum: INDICATOR_TYPES, description: 'When given, the value must parse as this type.' })
  @IsOptional()
  @IsIn(INDICATOR_TYPES)
  type?: IndicatorType;

  @ApiPropertyOptional({ enum: PAP_LEVELS, description: 'This indicator’s PAP; absent: the incident’s.' })
  @IsOptional()
  @IsIn(PAP_LEVELS)
  pap?: Pap;

  @ApiPropertyOptional({
    description: 'False: shared as context, not for detection (not exported as a STIX indicator). Default true.',
  })
  @IsOptional()
  @IsBoolean()
  forDetection?: boolean;
}

@ValidatorConstraint({ name: 'rsitType' })
class RsitTypeConstraint implements ValidatorConstraintInterface {
  validate(type: unknown, args: ValidationArguments): boolean {
    const cls = (args.object as { class?: unknown }).class;
    return isRsitClass(cls) ? isRsitType(cls, type) : true; // a bad class is reported on its own field
  }
  defaultMessage(args: ValidationArguments): string {
    return `type is not an RSIT type of class "${String((args.object as { class?: unknown }).class)}"`;
  }
}

export class ClassificationDto {
  @ApiProperty({ enum: RSIT_CLASSES, example: 'fraud' })
  @IsIn(RSIT_CLASSES)
  class!: RsitClass;

  @ApiProperty({ example: 'phishing', description: 'An RSIT type of the class.' })
  @IsString()
  @Validate(RsitTypeConstraint)
  type!: string;
}

/** Strings become `{ value }` so callers may send plain strings or typed objects. */
function toIndicatorInputs({ value }: { value: unknown }): unknown {
  if (!Array.isArray(value)) return value;
  // A list over the limit is refused by its size: one element more than allowed is enough to say so,
  // and the rest is not worth validating one by one.
  return value.slice(0, MAX_INDICATORS + 1).map((item: unknown) => {
    if (typeof item === 'string') return plainToInstance(IndicatorInputDto, { value: item });
    if (item !== null && typeof item === 'object' && !Array.isArray(item))
      return plainToInstance(IndicatorInputDto, item);
    return item;
  });
}

@ApiExtraModels(IndicatorInputDto)
export class CreateIncidentDto {
  @ApiProperty({ example: 'Credential phishing against ministry staff', maxLength: 300 })
  @IsString()
  @Length(1, 300)
  @Matches(PRINTABLE, { message: 'title must not contain control characters' })
  @Matches(/\S/, { message: 'title must not be blank' })
  title!: string;

  @ApiPropertyOptional({
    example: 'Mails link to hxxps://login-ministry[.]com/owa, sender 203.0.113[.]7',
    maxLength: 100_000,
    description: 'Free text; indicators written in it (defanged or not) are extracted too.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100_000)
  description?: string;

  @ApiProperty({ example: '2026-11-24T08:30:00Z', description: 'ISO 8601 date-time.' })
  @IsCalendarDateTime()
  @NotInTheFuture()
  occurredAt!: string;

  @ApiProperty({ type: ClassificationDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ClassificationDto)
  classification!: ClassificationDto;

  @ApiProperty({ enum: SEVERITIES })
  @IsIn(SEVERITIES)
  severity!: Severity;

  @ApiProperty({ enum: TLP_LEVELS, description: 'TLP 2.0 label.' })
  @IsIn(TLP_LEVELS)
  tlp!: Tlp;

  @ApiPropertyOptional({
    enum: PAP_LEVELS,
    description:
      'PAP (FIRST): what recipients may do with the indicators (RED: passive use only, never sent to an ' +
      'external service; AMBER: passive cross-checks; GREEN: active actions; CLEAR: no restriction). ' +
      'Absent: AMBER for AMBER, AMBER+STRICT and RED incidents, GREEN otherwise. An indicator given as ' +
      '`{value, type, pap}` may state its own.',
  })
  @IsOptional()
  @IsIn(PAP_LEVELS)
  pap?: Pap;

  @ApiPropertyOptional({
    example: 'SOC-2026-0142',
    maxLength: 200,
    description: 'Your own reference; resubmitting the same one returns the existing incident.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(PRINTABLE, { message: 'externalRef must not contain control characters' })
  externalRef?: string;

  @ApiPropertyOptional({
    type: 'array',
    maxItems: MAX_INDICATORS,
    items: { oneOf: [{ type: 'string' }, { $ref: getSchemaPath(IndicatorInputDto) }] },
    example: ['203.0.113[.]7', { value: 'd41d8cd98f00b204e9800998ecf8427e', type: 'md5', pap: 'RED' }],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_INDICATORS)
  @Transform(toIndicatorInputs)
  @ValidateNested({ each: true })
  indicators?: IndicatorInputDto[];

  @ApiPropertyOptional({ type: RecipientsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RecipientsDto)
  recipients?: RecipientsDto;

  @ApiPropertyOptional({
    enum: DISCLOSURE_LEVELS,
    nullable: true,
    description:
      'What partners that may not see this incident learn of a match with it, overriding your ' +
      'organization’s policy for its TLP (GET /api/v1/organizations/me/disclosure). Null or absent: the policy.',
  })
  @IsOptional()
  @IsIn(DISCLOSURE_LEVELS)
  disclosure?: Disclosure | null;

  @ApiPropertyOptional({
    description:
      'TLP:EX:CHR (Chatham House Rule): partners may use the incident but not learn who submitted it. Every ' +
      'view outside your organization shows the submitter as "a partner CERT/agency", and a match with it ' +
      'discloses at most `anonymous`. Default false.',
  })
  @IsOptional()
  @IsBoolean()
  anonymisedSubmitter?: boolean;
}
