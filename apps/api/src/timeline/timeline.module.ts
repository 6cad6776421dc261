import { Module } from '@nestjs/common';
import { TimelineRecorder } from './timeline-recorder.service';

/** Recording incidents' timelines, for every feature that makes an entry (incidents, alerts, contact). */
@Module({ providers: [TimelineRecorder], exports: [TimelineRecorder] })
export class TimelineModule {}
