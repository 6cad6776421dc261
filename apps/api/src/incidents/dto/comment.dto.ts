import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class CommentDto {
  @ApiProperty({ example: 'Same C2 seen at our end since 02:00 UTC.', maxLength: 10_000 })
  @IsString()
  @Length(1, 10_000)
  text!: string;
}
