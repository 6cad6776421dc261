import { Module } from '@nestjs/common';
import { IncidentAccess } from '../incidents/incident-access.service';
import { TimelineModule } from '../timeline/timeline.module';
import { DeadlineReminders } from './deadline-reminders.service';
import { DeadlinesController } from './deadlines.controller';
import { DeadlineProfilesService } from './usecases/deadline-profiles.service';
import { IncidentDeadlinesService } from './usecases/incident-deadlines.service';
import { ListDeadlines } from './usecases/list-deadlines.service';

/** Regulatory deadlines (issue #10 §6): profiles, incidents' awareness and milestones, reminders, the list. */
@Module({
  imports: [TimelineModule],
  controllers: [DeadlinesController],
  providers: [IncidentAccess, DeadlineReminders, DeadlineProfilesService, IncidentDeadlinesService, ListDeadlines],
})
export class DeadlinesModule {}
