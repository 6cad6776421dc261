import { Injectable } from '@nestjs/common';
import type { Incident, SharingContext, TimelineEntry } from '@corridor/domain';
import { Principals, TimelineRepository } from '@corridor/persistence';
import { RealtimePublisher, planTimelineEntry } from '@corridor/realtime';

/** Adds entries to an incident's timeline and tells the sockets that joined it, each as REST words it. */
@Injectable()
export class TimelineRecorder {
  constructor(
    private readonly timeline: TimelineRepository,
    private readonly principals: Principals,
    private readonly publisher: RealtimePublisher,
  ) {}

  async record(entries: TimelineEntry[], incident: Incident, sharing: SharingContext): Promise<void> {
    if (entries.length === 0) return;
    const principals = await this.principals.of(incident);
    for (const entry of entries) {
      // A repeated id is a retry of something already recorded (and announced).
      if (!(await this.timeline.add(entry))) continue;
      await this.publisher.publish(planTimelineEntry(entry, incident, sharing, principals));
    }
  }
}
