import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional } from 'class-validator';
import { DecimalInteger } from '../../common/decimal-integer';

export class ClusterQuery {
  @ApiPropertyOptional({ enum: [1, 2], default: 2, description: 'How many correlations away from the incident.' })
  @IsOptional()
  @DecimalInteger()
  @IsInt()
  @IsIn([1, 2], { message: 'depth must be 1 or 2' })
  depth?: 1 | 2;

  @ApiPropertyOptional({ enum: [1, 2], description: 'Older name of `depth`; give one of the two.' })
  @IsOptional()
  @DecimalInteger()
  @IsInt()
  @IsIn([1, 2], { message: 'hops must be 1 or 2' })
  hops?: 1 | 2;
}
