import { Module } from '@nestjs/common';
import { WebhookDeliveries } from './usecases/webhook-deliveries.service';
import { WebhookEndpoints } from './usecases/webhook-endpoints.service';
import { WebhooksController } from './webhooks.controller';

/** Webhooks (issue #10 §3): endpoints, the delivery log, replays and tests; the worker delivers. */
@Module({
  controllers: [WebhooksController],
  providers: [WebhookEndpoints, WebhookDeliveries],
})
export class WebhooksModule {}
