import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AlertsGateway } from './alerts.gateway';

@Module({ imports: [AuthModule], providers: [AlertsGateway] })
export class RealtimeModule {}
