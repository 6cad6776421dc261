import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal, WebhookEndpointView } from '@corridor/domain';
import { AuthGuard, CurrentPrincipal, RequireScopes } from '../auth/auth.guard';
import { PageQuery } from '../common/page.query';
import {
  CreateWebhookEndpointDto,
  ReplayRangeDto,
  ReplayResultDto,
  TestWebhookDto,
  UpdateWebhookEndpointDto,
  WebhookDeliveryDto,
  WebhookDeliveryPageDto,
  WebhookEndpointDto,
  WebhookEndpointWithSecretDto,
} from './dto/webhooks.dto';
import { WebhookDeliveries, type WebhookDeliveryView } from './usecases/webhook-deliveries.service';
import { WebhookEndpoints } from './usecases/webhook-endpoints.service';

/**
 * The organization's webhook endpoints (Standard Webhooks 1.0): registration, rotation, the delivery
 * log, replays and tests. All need `webhooks:manage` (org-admins).
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@RequireScopes('webhooks:manage')
@ApiForbiddenResponse({ description: 'The credential lacks webhooks:manage.' })
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(
    private readonly endpoints: WebhookEndpoints,
    private readonly deliveries: WebhookDeliveries,
  ) {}

  @Post('endpoints')
  @ApiOperation({ summary: 'Register an endpoint; its signing secret is in this answer only' })
  @ApiCreatedResponse({ type: WebhookEndpointWithSecretDto })
  @ApiBadRequestResponse({
    description: 'A bad URL (or one whose host resolves to a refused address), event type or maxTlp (RED).',
  })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateWebhookEndpointDto,
  ): Promise<WebhookEndpointView & { secret: string }> {
    return this.endpoints.create(principal, body);
  }

  @Get('endpoints')
  @ApiOperation({ summary: 'The organization’s endpoints, newest first (no secrets)' })
  @ApiOkResponse({ type: [WebhookEndpointDto] })
  list(@CurrentPrincipal() principal: Principal): Promise<WebhookEndpointView[]> {
    return this.endpoints.list(principal);
  }

  @Get('endpoints/:id')
  @ApiOperation({ summary: 'One endpoint (no secret)' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiNotFoundResponse({ description: 'No such endpoint in the caller’s organization.' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<WebhookEndpointView> {
    return this.endpoints.get(principal, id);
  }

  @Patch('endpoints/:id')
  @ApiOperation({ summary: 'Change an endpoint’s URL, event types, maxTlp, description or enabled' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiBadRequestResponse({ description: 'A bad field, named in `error.details.fields`.' })
  @ApiNotFoundResponse({ description: 'No such endpoint in the caller’s organization.' })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: UpdateWebhookEndpointDto,
  ): Promise<WebhookEndpointView> {
    return this.endpoints.update(principal, id, body);
  }

  @Delete('endpoints/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an endpoint (pending deliveries stop)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'No such endpoint in the caller’s organization.' })
  async remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.endpoints.remove(principal, id);
  }

  @Post('endpoints/:id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'A new signing secret, in this answer only; the previous one keeps signing beside it for WEBHOOK_SECRET_OVERLAP_SECONDS',
  })
  @ApiOkResponse({ type: WebhookEndpointWithSecretDto })
  @ApiNotFoundResponse({ description: 'No such endpoint in the caller’s organization.' })
  rotate(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
  ): Promise<WebhookEndpointView & { secret: string }> {
    return this.endpoints.rotate(principal, id);
  }

  @Get('endpoints/:id/deliveries')
  @ApiOperation({ summary: 'The endpoint’s deliveries, newest first, with every attempt' })
  @ApiOkResponse({ type: WebhookDeliveryPageDto })
  @ApiNotFoundResponse({ description: 'No such endpoint in the caller’s organization.' })
  deliveryLog(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: PageQuery,
  ): Promise<{ items: WebhookDeliveryView[]; nextCursor: string | null }> {
    return this.deliveries.list(principal, id, query);
  }

  @Post('endpoints/:id/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send again the endpoint’s deliveries created in [from, to] (at most 500)' })
  @ApiAcceptedResponse({ type: ReplayResultDto })
  @ApiNotFoundResponse({ description: 'No such endpoint in the caller’s organization.' })
  replayRange(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: ReplayRangeDto,
  ): Promise<{ replayed: number; deliveryIds: string[] }> {
    return this.deliveries.replayRange(principal, id, body);
  }

  @Post('endpoints/:id/test')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send the endpoint a `test` notification with the label and content given' })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiNotFoundResponse({ description: 'No such endpoint in the caller’s organization.' })
  @ApiConflictResponse({ description: 'The endpoint is disabled.' })
  test(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: TestWebhookDto,
  ): Promise<WebhookDeliveryView> {
    return this.deliveries.test(principal, id, body);
  }

  @Post('deliveries/:id/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send one delivery again: same webhook-id, new timestamp and signature' })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiNotFoundResponse({ description: 'No such delivery in the caller’s organization.' })
  replay(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<WebhookDeliveryView> {
    return this.deliveries.replay(principal, id);
  }
}
