import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class SearchQuery {
  @ApiProperty({ example: '203.0.113[.]7', description: 'An indicator in any form; it is normalized first.' })
  @IsString()
  @Length(1, 2048)
  value!: string;
}
