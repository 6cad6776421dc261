import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsEmail, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { LANGUAGES, MIN_PASSWORD_LENGTH, ROLES, type Language, type Role } from '@corridor/domain';

export class CreateUserDto {
  @ApiProperty({ example: 'analyst@cert.example.com' })
  @IsEmail()
  @Length(3, 254)
  email!: string;

  @ApiProperty({ example: 'Amina Khan' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({
    enum: ROLES,
    isArray: true,
    example: ['analyst'],
    description:
      'Org-admins: any roles but platform-admin. Platform-admins: org-admin, optionally with analyst and oncall ' +
      '(a new organization’s first org-admin only).',
  })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(ROLES, { each: true })
  roles!: Role[];

  @ApiPropertyOptional({
    description:
      `Org-admins only, at least ${MIN_PASSWORD_LENGTH} characters (stored as an argon2id hash). Without it the ` +
      'answer carries a one-time setup token with which the person sets their own. Platform-admins never give one.',
  })
  @IsOptional()
  @IsString()
  @Length(MIN_PASSWORD_LENGTH, 1024)
  password?: string;

  @ApiPropertyOptional({
    description: 'Platform-admins only (required): the new organization, which must have no users yet.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  orgId?: string;

  @ApiPropertyOptional({
    enum: LANGUAGES,
    default: 'en',
    description: 'The language Corridor writes to the person in (e-mail).',
  })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language;
}

/** What a person may change of their own account. */
export class UpdateOwnUserDto {
  @ApiProperty({ enum: LANGUAGES, description: 'The language Corridor writes to the person in (e-mail).' })
  @IsIn(LANGUAGES)
  language!: Language;
}

/** A person as the api shows them: never a password or token hash. */
export class UserDto {
  @ApiProperty() id!: string;
  @ApiProperty() orgId!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
  @ApiProperty({ enum: LANGUAGES }) language!: Language;
  @ApiProperty() createdAt!: Date;
}

export class CreatedUserDto extends UserDto {
  @ApiPropertyOptional({
    description:
      'Present when no password was given: `cst_…`, shown once, usable once within 72 hours at POST /api/v1/auth/setup.',
  })
  setupToken?: string;

  @ApiPropertyOptional({ description: 'When the setup token stops working.' })
  setupTokenExpiresAt?: Date;
}
