import { Module } from '@nestjs/common';
import { AlertsController } from './alerts.controller';
import { MarkFalsePositive } from './false-positive';
import { ListAlerts } from './list-alerts.service';

@Module({ controllers: [AlertsController], providers: [ListAlerts, MarkFalsePositive] })
export class AlertsModule {}
