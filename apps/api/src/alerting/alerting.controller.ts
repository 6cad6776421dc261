import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import {
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
import type { Principal, RuleAlertView } from '@corridor/domain';
import { AuthGuard, CurrentPrincipal, RequireScopes } from '../auth/auth.guard';
import {
  ListRuleAlertsQuery,
  RuleAlertDto,
  RuleAlertPageDto,
  RuleDto,
  RuleInputDto,
  RuleListDto,
} from './dto/alerting.dto';
import { ManageNotificationRules, type RuleView } from './usecases/notification-rules.service';
import { RuleAlerts } from './usecases/rule-alerts.service';

/** An organization's notification rules: what raises an alert, and who is told (org-admins). */
@ApiTags('on-call')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('api/v1/notification-rules')
export class NotificationRulesController {
  constructor(private readonly rules: ManageNotificationRules) {}

  @Get()
  @RequireScopes('oncall:manage')
  @ApiOperation({ summary: 'The organization’s notification rules, oldest first' })
  @ApiOkResponse({ type: RuleListDto })
  list(@CurrentPrincipal() principal: Principal): Promise<{ items: RuleView[] }> {
    return this.rules.list(principal);
  }

  @Post()
  @RequireScopes('oncall:manage')
  @ApiOperation({ summary: 'Add a rule: a trigger, and the targets it tells' })
  @ApiCreatedResponse({ type: RuleDto })
  @ApiBadRequestResponse({ description: 'A field at fault, named in `error.details.fields`.' })
  @ApiConflictResponse({ description: 'The organization already has a rule of that name.' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: RuleInputDto): Promise<RuleView> {
    return this.rules.create(principal, body);
  }

  @Get(':id')
  @RequireScopes('oncall:manage')
  @ApiOkResponse({ type: RuleDto })
  @ApiNotFoundResponse({ description: 'No such rule in the caller’s organization.' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<RuleView> {
    return this.rules.get(principal, id);
  }

  @Put(':id')
  @RequireScopes('oncall:manage')
  @ApiOperation({ summary: 'Replace a rule (alerts it raised keep the name they were raised under)' })
  @ApiOkResponse({ type: RuleDto })
  @ApiNotFoundResponse({ description: 'No such rule in the caller’s organization.' })
  replace(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: RuleInputDto,
  ): Promise<RuleView> {
    return this.rules.replace(principal, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('oncall:manage')
  @ApiNoContentResponse({ description: 'Removed; alerts it raised stay.' })
  @ApiNotFoundResponse({ description: 'No such rule in the caller’s organization.' })
  remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    return this.rules.remove(principal, id);
  }
}

/**
 * Alerts raised by the organization's rules: read with `alerts:read` (or `oncall:manage`); acknowledged and resolved by
 * on-call staff (`alerts:ack`) or org-admins (`oncall:manage`) — the same use case as the socket
 * events `alert.ack` and `alert.resolve`.
 */
@ApiTags('on-call')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('api/v1/oncall/alerts')
export class RuleAlertsController {
  constructor(private readonly alerts: RuleAlerts) {}

  @Get()
  @ApiOperation({
    summary: 'The alerts rules raised for the caller’s organization, newest first (alerts:read or oncall:manage)',
  })
  @ApiForbiddenResponse({ description: 'Neither `alerts:read` nor `oncall:manage`.' })
  @ApiOkResponse({ type: RuleAlertPageDto })
  @ApiBadRequestResponse({ description: 'A bad `state`, `limit` or `cursor`, named in `error.details.fields`.' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListRuleAlertsQuery,
  ): Promise<{ items: RuleAlertView[]; nextCursor: string | null }> {
    return this.alerts.list(principal, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: RuleAlertDto })
  @ApiForbiddenResponse({ description: 'Neither `alerts:read` nor `oncall:manage`.' })
  @ApiNotFoundResponse({ description: 'No such alert of the caller’s organization.' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<RuleAlertView> {
    return this.alerts.get(principal, id);
  }

  @Post(':id/ack')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Acknowledge: stops escalation; the first acknowledgement stands, a repeat changes nothing',
  })
  @ApiOkResponse({ type: RuleAlertDto })
  @ApiForbiddenResponse({ description: 'Neither `alerts:ack` nor `oncall:manage`.' })
  @ApiNotFoundResponse({ description: 'No such alert of the caller’s organization.' })
  acknowledge(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<RuleAlertView> {
    return this.alerts.change(principal, id, 'acknowledge');
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resolve (from triggered or acknowledged): stops escalation; a repeat changes nothing' })
  @ApiOkResponse({ type: RuleAlertDto })
  @ApiForbiddenResponse({ description: 'Neither `alerts:ack` nor `oncall:manage`.' })
  @ApiNotFoundResponse({ description: 'No such alert of the caller’s organization.' })
  resolve(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<RuleAlertView> {
    return this.alerts.change(principal, id, 'resolve');
  }
}
