import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { INDICATOR_TYPES } from '@corridor/domain';

export class HotValuesQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class HotValueDto {
  @ApiProperty({ enum: INDICATOR_TYPES })
  type!: string;

  @ApiProperty({ description: 'Canonical form.' })
  value!: string;

  @ApiProperty({ description: 'How many incidents carry it (counted across all organizations; never which).' })
  incidents!: number;
}

export class HotValuesDto {
  @ApiProperty({ description: 'CORRELATION_HOT_THRESHOLD: above it a value no longer correlates or alerts.' })
  threshold!: number;

  @ApiProperty({ type: [HotValueDto], description: 'Most incidents first.' })
  items!: HotValueDto[];
}
