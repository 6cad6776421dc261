import { Module } from '@nestjs/common';
import { IndicatorsController } from './indicators.controller';
import { HotValues } from './usecases/hot-values/hot-values.service';
import { IndicatorHistory } from './usecases/indicator-history/indicator-history.service';

@Module({ controllers: [IndicatorsController], providers: [IndicatorHistory, HotValues] })
export class IndicatorsModule {}
