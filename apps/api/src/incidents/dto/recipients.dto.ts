import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length } from 'class-validator';

/**
 * Who an incident is shared with besides its submitter: organizations for GREEN and AMBER, people for
 * RED. A level refuses (400, naming the field) a non-empty list it does not take.
 */
export class RecipientsDto {
  @ApiPropertyOptional({
    type: [String],
    description:
      'Organization ids; GREEN and AMBER only (GREEN: they join the audience, also outside your communities; ' +
      'AMBER: constituents and partners that need to know). Other levels refuse a non-empty list.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  organizations?: string[];

  @ApiPropertyOptional({
    type: [String],
    description: 'User ids; RED only (the named people). Other levels refuse a non-empty list.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  users?: string[];
}
