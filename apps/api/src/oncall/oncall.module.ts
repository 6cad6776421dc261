import { Module } from '@nestjs/common';
import { OnCallController } from './oncall.controller';
import { OnCallNowService } from './usecases/on-call-now.service';
import { PoliciesService } from './usecases/policies.service';
import { SchedulesService } from './usecases/schedules.service';

/** On-call rotas and escalation policies (issue #10 §2): schedules, overrides, policies, who is on call. */
@Module({
  controllers: [OnCallController],
  providers: [SchedulesService, PoliciesService, OnCallNowService],
})
export class OnCallModule {}
