import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { SharingService } from '../sharing/sharing.service';
import { AlertsGateway } from './alerts.gateway';
import { RoomsService } from './rooms.service';

@Global()
@Module({
  imports: [AuthModule],
  providers: [AlertsGateway, RoomsService, SharingService],
  exports: [RoomsService, SharingService],
})
export class RealtimeModule {}
