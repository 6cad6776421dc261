import { Module } from '@nestjs/common';
import { AlertsController } from './alerts.controller';
import { ListAlerts } from './list-alerts.service';

@Module({ controllers: [AlertsController], providers: [ListAlerts] })
export class AlertsModule {}
