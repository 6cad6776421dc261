import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { DecimalInteger } from '../../common/decimal-integer';

export class ListAlertsQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Only alerts your organization has (true) or has not (false) acknowledged.',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'acknowledged must be true or false' })
  acknowledged?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor is not a cursor this api issued' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @DecimalInteger()
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}
