import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import {
  importMispDocument,
  importStixBundle,
  notFound,
  type MispEventDocument,
  type Principal,
} from '@corridor/domain';
import { AuthGuard, CurrentPrincipal, RequireScopes } from '../auth/auth.guard';
import { ExportIncidents } from './usecases/export-incidents/export-incidents.service';
import { ImportIncidents, type ImportReport } from './usecases/import-incidents/import-incidents.service';

const DEFAULT_TLP_DESCRIPTION =
  'TLP 2.0 label of incidents whose source carries no TLP marking or tag (default AMBER+STRICT).';

/** STIX 2.1 and MISP in and out: partners' documents become incidents of the caller's organization. */
@ApiTags('exchange')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('api/v1')
export class ExchangeController {
  constructor(
    private readonly imports: ImportIncidents,
    private readonly exports: ExportIncidents,
  ) {}

  @Post('import/stix')
  @HttpCode(200)
  @RequireScopes('incidents:write')
  @ApiOperation({
    summary: 'Import a STIX 2.1 bundle',
    description:
      'Each object is validated by its type against the STIX 2.1 property tables; one bad object refuses the ' +
      'whole bundle (400 naming the object and path), nothing half-imported. Each incident (else report or ' +
      'grouping, else the bundle) becomes one incident of the caller’s organization with the STIX id as ' +
      'externalRef: a new id creates it, a newer `modified` updates its TLP and PAP, `revoked` retracts it. ' +
      'Markings: TLP 2.0 and 1.0 ids, several → the strictest, unknown → AMBER+STRICT. Patterns and objects ' +
      'that cannot be mapped are listed in `unmapped`, never dropped silently.',
  })
  @ApiBody({ schema: { type: 'object', example: { type: 'bundle', id: 'bundle--…', objects: [] } } })
  @ApiQuery({ name: 'defaultTlp', required: false, description: DEFAULT_TLP_DESCRIPTION })
  @ApiOkResponse({ description: 'What each incident of the bundle became, and what was not mapped.' })
  @ApiBadRequestResponse({ description: 'Not a valid STIX 2.1 bundle; `error.details.fields` names object and path.' })
  importStix(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Query('defaultTlp') defaultTlp: string | undefined,
  ): Promise<ImportReport> {
    return this.imports.execute(principal, importStixBundle(body), defaultTlp);
  }

  @Post('import/misp')
  @HttpCode(200)
  @RequireScopes('incidents:write')
  @ApiOperation({
    summary: 'Import MISP events (`{"Event": …}` or `{"response": [{"Event": …}]}`)',
    description:
      'Checked against a schema written from the MISP core format Internet-Draft. Each event becomes one ' +
      'incident (externalRef `misp:<uuid>`). TLP from tags, narrowed by distribution (see the README table); ' +
      'a TLP:RED event is refused, as it names no recipients. Attributes (also inside objects) map to ' +
      'indicators, `to_ids` to forDetection; other types are listed in `unmapped`.',
  })
  @ApiBody({ schema: { type: 'object', example: { Event: { info: '…', date: '2026-11-24' } } } })
  @ApiQuery({ name: 'defaultTlp', required: false, description: DEFAULT_TLP_DESCRIPTION })
  @ApiOkResponse({ description: 'What each event became, and what was not mapped.' })
  @ApiBadRequestResponse({ description: 'Not a valid MISP document; `error.details.fields` names the path.' })
  importMisp(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Query('defaultTlp') defaultTlp: string | undefined,
  ): Promise<ImportReport> {
    return this.imports.execute(principal, importMispDocument(body), defaultTlp);
  }

  @Get('incidents/:id/misp')
  @RequireScopes('incidents:read')
  @ApiOperation({
    summary: 'One incident as a MISP event',
    description:
      'Deterministic uuids (a re-export is the same event). CLEAR → tlp:clear / distribution 3, GREEN → ' +
      'tlp:green / 1, AMBER → tlp:amber / 0, AMBER+STRICT → tlp:amber+strict / 0, RED → tlp:red / 0; ' +
      '`PAP:`, `rsit:` and `corridor:severity` tags; to_ids from forDetection.',
  })
  exportMisp(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<MispEventDocument> {
    return this.exports.misp(principal, id);
  }

  @Get('misp-feeds/:communityId/:file')
  @RequireScopes('incidents:read')
  @ApiOperation({
    summary: 'A community’s MISP feed: manifest.json, hashes.csv and <event uuid>.json',
    description:
      'For MISP instances that pull Corridor as a feed (the feed URL is `/api/v1/misp-feeds/<communityId>`, with ' +
      'the API key as a Bearer header). It holds the newest 500 incidents owned by the community’s members that ' +
      'the caller may see; GREEN ones name the community as their SharingGroup. 404 for a community the caller’s ' +
      'organization is not a member of.',
  })
  async mispFeedFile(
    @CurrentPrincipal() principal: Principal,
    @Param('communityId') communityId: string,
    @Param('file') file: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const found = (await this.exports.mispFeed(principal, communityId)).find((candidate) => candidate.path === file);
    if (!found) throw notFound('feed file');
    response.type(file.endsWith('.csv') ? 'text/csv' : 'application/json');
    return found.content;
  }
}
