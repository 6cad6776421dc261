import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length } from 'class-validator';

/** Who an AMBER (organizations) or RED (people) incident is shared with, besides its submitter. */
export class RecipientsDto {
  @ApiPropertyOptional({
    type: [String],
    description: 'Organization ids (AMBER: constituents and partners that need to know).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  organizations?: string[];

  @ApiPropertyOptional({ type: [String], description: 'User ids (RED: the named people).' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  users?: string[];
}
