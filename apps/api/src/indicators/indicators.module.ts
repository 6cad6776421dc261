import { Module } from '@nestjs/common';
import { IndicatorsController } from './indicators.controller';
import { IndicatorHistory } from './usecases/indicator-history/indicator-history.service';

@Module({ controllers: [IndicatorsController], providers: [IndicatorHistory] })
export class IndicatorsModule {}
