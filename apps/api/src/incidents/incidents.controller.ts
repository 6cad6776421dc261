import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type {
  IncidentCluster,
  Overview,
  Principal,
  SightingView,
  StixBundle,
  TimelineEntryView,
} from '@corridor/domain';
import type { IncidentCounts } from '@corridor/persistence';
import type { CommentView } from '@corridor/realtime';
import { AuthGuard, CurrentPrincipal, RequireScopes } from '../auth/auth.guard';
import { IncidentClusterDto } from './dto/cluster-response.dto';
import { ClusterQuery } from './dto/cluster.query';
import { invalid } from './incident-filters';
import { CommentDto } from './dto/comment.dto';
import { CreateIncidentDto } from './dto/create-incident.dto';
import { ReportSightingDto } from './dto/sighting.dto';
import {
  CommentViewDto,
  IncidentCountsDto,
  IncidentDetailDto,
  IncidentPageDto,
  IndicatorSearchResultDto,
  SightingViewDto,
  TimelinePageDto,
} from './dto/incident-response.dto';
import { TimelineQuery } from './dto/timeline.query';
import { ListIncidentsQuery } from './dto/list-incidents.query';
import { OverviewDto } from './dto/overview-response.dto';
import { OverviewQuery } from './dto/overview.query';
import { SearchQuery } from './dto/search.query';
import { UpdateIncidentDto } from './dto/update-incident.dto';
import { RetractIncidentDto, RetractIndicatorDto, RetractionDto } from './dto/retract.dto';
import type { IncidentDetail, IncidentListItem } from './incident.view';
import { AddComment } from './usecases/comments/add-comment.service';
import { ListComments } from './usecases/comments/list-comments.service';
import { CreateIncident } from './usecases/create-incident/create-incident.service';
import { ExportIncidents } from './usecases/export-incidents/export-incidents.service';
import { GetIncident } from './usecases/get-incident/get-incident.service';
import { GetIncidentCluster } from './usecases/incident-cluster/incident-cluster.service';
import { IncidentOverview } from './usecases/incident-overview/incident-overview.service';
import { IncidentStats } from './usecases/incident-stats/incident-stats.service';
import { IncidentTimeline } from './usecases/incident-timeline/incident-timeline.service';
import { ListIncidents } from './usecases/list-incidents/list-incidents.service';
import { SearchIncidents } from './usecases/search-incidents/search-incidents.service';
import { ListSightings } from './usecases/sightings/list-sightings.service';
import { ReportSighting } from './usecases/sightings/report-sighting.service';
import { UpdateIncident } from './usecases/update-incident/update-incident.service';
import {
  RetractIncident,
  retractionBody,
  type RetractionBody,
} from './usecases/retract-incident/retract-incident.service';

const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

@ApiTags('incidents')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Missing, malformed, expired or revoked credentials.' })
@ApiForbiddenResponse({ description: 'The credential lacks the scope this route needs.' })
@ApiTooManyRequestsResponse({ description: 'The API key exceeded its rate limit; see Retry-After.' })
@ApiServiceUnavailableResponse({ description: 'A backing store is unreachable; see Retry-After.' })
@UseGuards(AuthGuard)
@Controller('api/v1')
export class IncidentsController {
  constructor(
    private readonly createIncident: CreateIncident,
    private readonly getIncident: GetIncident,
    private readonly listIncidents: ListIncidents,
    private readonly searchIncidents: SearchIncidents,
    private readonly incidentStats: IncidentStats,
    private readonly updateIncident: UpdateIncident,
    private readonly exports: ExportIncidents,
    private readonly addComment: AddComment,
    private readonly listCommentsOf: ListComments,
    private readonly reportSighting: ReportSighting,
    private readonly listSightingsOf: ListSightings,
    private readonly incidentTimeline: IncidentTimeline,
    private readonly incidentCluster: GetIncidentCluster,
    private readonly incidentOverview: IncidentOverview,
    private readonly retract: RetractIncident,
  ) {}

  @Post('incidents')
  @RequireScopes('incidents:write')
  @ApiOperation({ summary: 'Submit an incident (idempotent by externalRef or Idempotency-Key)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Repeating it returns the first incident.' })
  @ApiCreatedResponse({ type: IncidentDetailDto, description: 'Stored; processing follows.' })
  @ApiOkResponse({ type: IncidentDetailDto, description: 'A duplicate: the incident stored earlier.' })
  @ApiBadRequestResponse({ description: 'Invalid body; `error.details.fields` names each problem.' })
  @ApiPayloadTooLargeResponse({ description: 'Body larger than the configured limit.' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateIncidentDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IncidentDetail> {
    const { created, incident } = await this.createIncident.execute(principal, dto, idempotencyKey);
    response.status(created ? 201 : 200);
    return incident;
  }

  @Get('incidents')
  @RequireScopes('incidents:read')
  @ApiOperation({ summary: 'Incidents the caller may see, newest first, cursor-paginated' })
  @ApiOkResponse({ type: IncidentPageDto })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListIncidentsQuery,
  ): Promise<{ items: IncidentListItem[]; nextCursor: string | null }> {
    return this.listIncidents.execute(principal, query);
  }

  @Get('incidents/:id')
  @RequireScopes('incidents:read')
  @ApiOperation({ summary: 'One incident with its indicators, processing state and correlations' })
  @ApiOkResponse({ type: IncidentDetailDto })
  @ApiNotFoundResponse({ description: 'No such incident, or not visible to the caller.' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<IncidentDetail> {
    return this.getIncident.execute(principal, id);
  }

  @Patch('incidents/:id')
  @RequireScopes('incidents:write')
  @ApiOperation({ summary: 'Change status, TLP or recipients (submitting organization only); effective at once' })
  @ApiOkResponse({ type: IncidentDetailDto })
  @ApiNotFoundResponse({ description: 'No such incident, or not visible to the caller.' })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() dto: UpdateIncidentDto,
  ): Promise<IncidentDetail> {
    return this.updateIncident.execute(principal, id, dto);
  }

  @Post('incidents/:id/retract')
  @RequireScopes('incidents:write')
  @ApiOperation({
    summary: 'Retract an incident (submitting organization only)',
    description:
      'Withdraws its correlations, index entries, alerts, pending escalations and deadline reminders, tells ' +
      'everyone who was told of it (`incident.retracted` live, by webhook and by e-mail), then removes it; ' +
      'a tombstone keeps the ids. Carried out by the worker; `state` becomes `done`. Repeating returns the first.',
  })
  @ApiResponse({ status: 202, type: RetractionDto, description: 'Recorded; the worker carries it out.' })
  @ApiOkResponse({ type: RetractionDto, description: 'Already retracted: the retraction recorded first.' })
  @ApiNotFoundResponse({ description: 'No such incident, or not visible to the caller.' })
  async retractIncident(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() dto: RetractIncidentDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RetractionBody> {
    const { created, retraction } = await this.retract.incident(principal, id, dto);
    response.status(created ? 202 : 200);
    return retractionBody(retraction);
  }

  @Post('incidents/:id/indicators/retract')
  @RequireScopes('incidents:write')
  @ApiOperation({
    summary: 'Retract one indicator of an incident (submitting organization only)',
    description:
      'As retracting the incident, for the correlations and alerts of this indicator; `indicator.retracted` ' +
      'tells those who were told of the incident. The indicator leaves the incident.',
  })
  @ApiResponse({ status: 202, type: RetractionDto, description: 'Recorded; the worker carries it out.' })
  @ApiOkResponse({ type: RetractionDto, description: 'Already retracted: the retraction recorded first.' })
  @ApiNotFoundResponse({ description: 'No such incident or indicator (`error.details.fields` names `value`).' })
  async retractIndicator(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() dto: RetractIndicatorDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RetractionBody> {
    const { created, retraction } = await this.retract.indicator(principal, id, dto);
    response.status(created ? 202 : 200);
    return retractionBody(retraction);
  }

  @Get('retractions/:id')
  @RequireScopes('incidents:read')
  @ApiOperation({ summary: 'A retraction the caller’s organization made: its tombstone and progress' })
  @ApiOkResponse({ type: RetractionDto })
  @ApiNotFoundResponse({ description: 'No such retraction of the caller’s organization.' })
  async retraction(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<RetractionBody> {
    return retractionBody(await this.retract.get(principal, id));
  }

  @Post('incidents/:id/comments')
  @RequireScopes('incidents:write')
  @ApiOperation({ summary: 'Comment on an incident the caller may see' })
  @ApiCreatedResponse({ type: CommentViewDto })
  @ApiNotFoundResponse({ description: 'No such incident, or not visible to the caller.' })
  comment(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() dto: CommentDto,
  ): Promise<CommentView> {
    return this.addComment.execute(principal, id, dto.text);
  }

  @Get('incidents/:id/comments')
  @RequireScopes('incidents:read')
  @ApiOperation({ summary: 'Comments on an incident the caller may see, oldest first' })
  @ApiOkResponse({ type: [CommentViewDto] })
  listComments(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<CommentView[]> {
    return this.listCommentsOf.execute(principal, id);
  }

  @Post('incidents/:id/sightings')
  @RequireScopes('incidents:write')
  @ApiOperation({
    summary:
      'Report a sighting of one of the indicators of an incident the caller may see (idempotent by Idempotency-Key)',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Repeating it returns the first sighting.' })
  @ApiCreatedResponse({ type: SightingViewDto, description: 'Recorded.' })
  @ApiOkResponse({ type: SightingViewDto, description: 'A repeat: the sighting recorded earlier.' })
  @ApiBadRequestResponse({
    description: 'Invalid body, or not an indicator of the incident; see `error.details.fields`.',
  })
  @ApiNotFoundResponse({ description: 'No such incident, or not visible to the caller.' })
  async sighting(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() dto: ReportSightingDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SightingView> {
    const { created, sighting } = await this.reportSighting.execute(principal, id, dto, idempotencyKey);
    response.status(created ? 201 : 200);
    return sighting;
  }

  @Get('incidents/:id/sightings')
  @RequireScopes('incidents:read')
  @ApiOperation({ summary: 'Sightings of the indicators of an incident the caller may see, oldest first' })
  @ApiOkResponse({ type: [SightingViewDto] })
  @ApiNotFoundResponse({ description: 'No such incident, or not visible to the caller.' })
  listSightings(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<SightingView[]> {
    return this.listSightingsOf.execute(principal, id);
  }

  @Get('incidents/:id/timeline')
  @RequireScopes('incidents:read')
  @ApiOperation({
    summary: 'What happened to an incident the caller may see, oldest first, cursor-paginated',
  })
  @ApiOkResponse({ type: TimelinePageDto })
  @ApiNotFoundResponse({ description: 'No such incident, or not visible to the caller.' })
  timeline(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: TimelineQuery,
  ): Promise<{ items: TimelineEntryView[]; nextCursor: string | null }> {
    return this.incidentTimeline.execute(principal, id, query);
  }

  @Get('incidents/:id/cluster')
  @RequireScopes('incidents:read')
  @ApiOperation({
    summary:
      'The correlation cluster around an incident: visible incidents up to `depth` (alias `hops`) correlations away; each edge names the kinds that link its two incidents',
  })
  @ApiOkResponse({ type: IncidentClusterDto })
  @ApiBadRequestResponse({
    description: 'A bad `depth` or `hops` (or two that differ), named in `error.details.fields`.',
  })
  @ApiNotFoundResponse({ description: 'No such incident, or not visible to the caller.' })
  cluster(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: ClusterQuery,
  ): Promise<IncidentCluster> {
    if (query.depth !== undefined && query.hops !== undefined && query.depth !== query.hops)
      throw invalid('depth', 'give depth or hops, not two different values');
    return this.incidentCluster.execute(principal, id, query.depth ?? query.hops ?? 2);
  }

  @Get(['incidents/:id/stix', 'incidents/:id/export'])
  @RequireScopes('incidents:read')
  @ApiOperation({
    summary: 'One incident as a STIX 2.1 bundle (TLP 2.0 markings on every object)',
    description:
      'The submitter’s identity, the TLP marking definition, the incident, an indicator per indicator meant for ' +
      'detection, observed-data with the observables of all indicators, a vulnerability per CVE, sightings, ' +
      'relationships (based-on, related-to) and a report (report_types ["incident"]) referring to them all. ' +
      'Fields STIX lacks are in Corridor’s property-extension, whose extension-definition is in the bundle. ' +
      '`/export` is the older name of the same route.',
  })
  async exportOne(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StixBundle> {
    const bundle = await this.exports.one(principal, id);
    response.type(STIX_MEDIA_TYPE);
    return bundle;
  }

  @Get('export')
  @RequireScopes('incidents:read')
  @ApiOperation({
    summary: 'Visible incidents (list filters, up to 500) as a STIX 2.1 bundle',
    description: 'STIX has no empty bundle: when no incident matches, the answer is 204 without a body.',
  })
  @ApiResponse({ status: 204, description: 'No visible incident matches the filters.' })
  async exportMany(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListIncidentsQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StixBundle | undefined> {
    const bundle = await this.exports.many(principal, query);
    if (!bundle) {
      response.status(204);
      return undefined;
    }
    response.type(STIX_MEDIA_TYPE);
    return bundle;
  }

  @Get('search')
  @RequireScopes('incidents:read')
  @ApiOperation({ summary: 'Visible incidents carrying an indicator (written in any form: defanged, upper-case…)' })
  @ApiOkResponse({ type: IndicatorSearchResultDto })
  search(@CurrentPrincipal() principal: Principal, @Query() query: SearchQuery) {
    return this.searchIncidents.execute(principal, query.value);
  }

  @Get('overview')
  @RequireScopes('incidents:read')
  @ApiOperation({
    summary: 'Visible incidents per UTC day, the indicators they share most and the most active organizations',
  })
  @ApiOkResponse({ type: OverviewDto })
  @ApiBadRequestResponse({ description: 'A bad `days`, named in `error.details.fields`.' })
  overview(@CurrentPrincipal() principal: Principal, @Query() query: OverviewQuery): Promise<Overview> {
    return this.incidentOverview.execute(principal, query.days ?? 30);
  }

  @Get('stats')
  @RequireScopes('incidents:read')
  @ApiOperation({ summary: 'Counts of visible incidents by state, severity and TLP (list filters apply)' })
  @ApiOkResponse({ type: IncidentCountsDto })
  stats(@CurrentPrincipal() principal: Principal, @Query() query: ListIncidentsQuery): Promise<IncidentCounts> {
    return this.incidentStats.execute(principal, query);
  }
}
