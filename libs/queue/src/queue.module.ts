import { Module, type DynamicModule } from '@nestjs/common';
import {
  IncidentQueueProducer,
  JobProducer,
  RetroHuntProducer,
  TaxiiPullProducer,
  WebhookJobProducer,
} from './job.producer';
import { QUEUE_OPTIONS, type QueueOptions } from './jobs';

@Module({})
export class QueueModule {
  static forRoot(options: QueueOptions): DynamicModule {
    return {
      module: QueueModule,
      global: true,
      providers: [
        { provide: QUEUE_OPTIONS, useValue: options },
        JobProducer,
        IncidentQueueProducer,
        TaxiiPullProducer,
        RetroHuntProducer,
        WebhookJobProducer,
      ],
      exports: [
        QUEUE_OPTIONS,
        JobProducer,
        IncidentQueueProducer,
        RetroHuntProducer,
        TaxiiPullProducer,
        WebhookJobProducer,
      ],
    };
  }
}
