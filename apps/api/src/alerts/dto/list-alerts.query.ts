import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../common/page.query';

export class ListAlertsQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Only alerts your organization has (true) or has not (false) acknowledged.',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'acknowledged must be true or false' })
  acknowledged?: 'true' | 'false';
}
