import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DecimalInteger } from '../../common/decimal-integer';

export class OverviewQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 365, default: 30, description: 'UTC days, today included.' })
  @IsOptional()
  @DecimalInteger()
  @IsInt()
  @Min(1)
  @Max(365)
  days?: number;
}
