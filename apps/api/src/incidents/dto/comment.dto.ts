import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class CommentDto {
  @ApiProperty({ example: 'Same C2 seen at our end since 02:00 UTC.', maxLength: 10_000 })
  @IsString()
  @Length(1, 10_000)
  @Matches(/\S/, { message: 'text must not be blank' })
  text!: string;
}
