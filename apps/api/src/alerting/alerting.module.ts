import { Module } from '@nestjs/common';
import { NotificationRulesController, RuleAlertsController } from './alerting.controller';
import { ManageNotificationRules } from './usecases/notification-rules.service';

/** Notification rules and the alerts they raise (on-call and notifications). */
@Module({
  controllers: [NotificationRulesController, RuleAlertsController],
  // RuleAlerts comes from the realtime module, which the socket events share it with.
  providers: [ManageNotificationRules],
})
export class AlertingModule {}
