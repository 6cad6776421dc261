import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiKeyGuard, CurrentPrincipal } from '../auth/api-key.guard';
import type { Principal } from '../auth/api-key.service';
import { CreateIncidentDto } from './dto/create-incident.dto';
import { ListIncidentsQuery } from './dto/list-incidents.query';
import { IncidentsService } from './incidents.service';
import type { IncidentDetail, IncidentListItem } from './incident.view';

@ApiTags('incidents')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Missing, malformed or revoked API key.' })
@ApiServiceUnavailableResponse({ description: 'A backing store is unreachable; see Retry-After.' })
@UseGuards(ApiKeyGuard)
@Controller('api/v1/incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Post()
  @ApiOperation({ summary: 'Submit an incident (idempotent by externalRef or Idempotency-Key)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Repeating it returns the first incident.' })
  @ApiCreatedResponse({ description: 'Stored; processing follows.' })
  @ApiOkResponse({ description: 'A duplicate: the incident stored earlier.' })
  @ApiBadRequestResponse({ description: 'Invalid body; `error.details.fields` names each problem.' })
  @ApiPayloadTooLargeResponse({ description: 'Body larger than the configured limit.' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateIncidentDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IncidentDetail> {
    const { created, incident } = await this.incidents.create(principal, dto, idempotencyKey);
    response.status(created ? 201 : 200);
    return incident;
  }

  @Get()
  @ApiOperation({ summary: 'Incidents the caller may see, newest first, cursor-paginated' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListIncidentsQuery,
  ): Promise<{ items: IncidentListItem[]; nextCursor: string | null }> {
    return this.incidents.list(principal, query);
  }

  @Get(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'One incident with its indicators, processing state and correlations' })
  @ApiNotFoundResponse({ description: 'No such incident, or not visible to the caller.' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<IncidentDetail> {
    return this.incidents.get(principal, id);
  }
}
