import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, ValidateIf } from 'class-validator';
import { DEFAULT_DISCLOSURE_POLICY, DISCLOSURE_LEVELS, type Disclosure } from '@corridor/domain';

const LEVELS_MESSAGE = `must be one of ${DISCLOSURE_LEVELS.join(', ')}`;
/** Optional, but when present (null included) a level: null is no way to say "the default". */
const present = (_: object, value: unknown) => value !== undefined;

const describe = (tlp: keyof typeof DEFAULT_DISCLOSURE_POLICY) =>
  `What partners that may not see a TLP:${tlp} incident of yours learn of a match with it ` +
  `(default ${DEFAULT_DISCLOSURE_POLICY[tlp]}).`;

/**
 * The organization's disclosure policy, per TLP level: replaces the stored one; levels left out
 * fall back to the defaults.
 */
export class DisclosurePolicyDto {
  @ApiPropertyOptional({ enum: DISCLOSURE_LEVELS, description: describe('CLEAR') })
  @ValidateIf(present)
  @IsIn(DISCLOSURE_LEVELS, { message: `CLEAR ${LEVELS_MESSAGE}` })
  CLEAR?: Disclosure;

  @ApiPropertyOptional({ enum: DISCLOSURE_LEVELS, description: describe('GREEN') })
  @ValidateIf(present)
  @IsIn(DISCLOSURE_LEVELS, { message: `GREEN ${LEVELS_MESSAGE}` })
  GREEN?: Disclosure;

  @ApiPropertyOptional({ enum: DISCLOSURE_LEVELS, description: describe('AMBER') })
  @ValidateIf(present)
  @IsIn(DISCLOSURE_LEVELS, { message: `AMBER ${LEVELS_MESSAGE}` })
  AMBER?: Disclosure;

  @ApiPropertyOptional({ enum: DISCLOSURE_LEVELS, description: describe('AMBER+STRICT') })
  @ValidateIf(present)
  @IsIn(DISCLOSURE_LEVELS, { message: `AMBER+STRICT ${LEVELS_MESSAGE}` })
  'AMBER+STRICT'?: Disclosure;

  @ApiPropertyOptional({ enum: DISCLOSURE_LEVELS, description: describe('RED') })
  @ValidateIf(present)
  @IsIn(DISCLOSURE_LEVELS, { message: `RED ${LEVELS_MESSAGE}` })
  RED?: Disclosure;
}

/** The policy in force: every level, the defaults filled in. */
export class DisclosurePolicyResponseDto {
  @ApiProperty({ enum: DISCLOSURE_LEVELS, example: 'named' })
  CLEAR!: Disclosure;

  @ApiProperty({ enum: DISCLOSURE_LEVELS, example: 'named' })
  GREEN!: Disclosure;

  @ApiProperty({ enum: DISCLOSURE_LEVELS, example: 'anonymous' })
  AMBER!: Disclosure;

  @ApiProperty({ enum: DISCLOSURE_LEVELS, example: 'nothing' })
  'AMBER+STRICT'!: Disclosure;

  @ApiProperty({ enum: DISCLOSURE_LEVELS, example: 'nothing' })
  RED!: Disclosure;
}
