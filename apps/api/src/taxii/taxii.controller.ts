import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CONFIG, type AppConfig } from '@corridor/config';
import { STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE, type Principal } from '@corridor/domain';
import { CurrentPrincipal } from '../auth/auth.guard';
import { TaxiiAccess } from './taxii-access.service';
import { TaxiiAuthGuard } from './taxii-auth.guard';
import { readTaxiiBody } from './taxii-body';
import { TaxiiErrorFilter } from './taxii-error.filter';
import { sendTaxii } from './taxii-http';
import { TaxiiReads, type TaxiiAnswer } from './taxii-reads.service';
import { TaxiiWrites } from './taxii-writes.service';

/** The one API root. */
export const TAXII_API_ROOT = '/taxii2/api/';

/**
 * TAXII 2.1 server (OASIS TAXII 2.1 §4–§5): discovery, one API root, its status resources and the
 * collections of the caller's communities. Its own media type, errors and authentication, so it is
 * left out of the OpenAPI document of /api/v1.
 */
@ApiExcludeController()
@UseFilters(TaxiiErrorFilter)
@UseGuards(TaxiiAuthGuard)
@Controller('taxii2')
export class TaxiiController {
  constructor(
    private readonly access: TaxiiAccess,
    private readonly reads: TaxiiReads,
    private readonly writes: TaxiiWrites,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  /** TAXII 2.1 §4.1 discovery. */
  @Get()
  discovery(@Req() request: Request, @Res() response: Response): void {
    const root = `${request.protocol}://${request.get('host') ?? 'localhost'}${TAXII_API_ROOT}`;
    sendTaxii(response, 200, {
      title: 'Corridor TAXII server',
      description: 'Incidents and indicators shared in Corridor communities, TLP 2.0 enforced per object.',
      default: root,
      api_roots: [root],
    });
  }

  /** TAXII 2.1 §4.2 API root. */
  @Get('api')
  apiRoot(@Res() response: Response): void {
    sendTaxii(response, 200, {
      title: 'Corridor',
      description: 'One collection per community of the caller.',
      versions: [TAXII_MEDIA_TYPE],
      max_content_length: this.config.BODY_LIMIT_BYTES,
    });
  }

  /** TAXII 2.1 §4.3 status of a POST of the caller's organization. */
  @Get('api/status/:statusId')
  async status(
    @CurrentPrincipal() principal: Principal,
    @Param('statusId') statusId: string,
    @Res() response: Response,
  ): Promise<void> {
    sendTaxii(response, 200, await this.writes.status(principal, statusId));
  }

  /** TAXII 2.1 §5.1 */
  @Get('api/collections')
  async collections(@CurrentPrincipal() principal: Principal, @Res() response: Response): Promise<void> {
    const collections = (await this.access.collectionsOf(principal)).map((c) => this.collectionResource(principal, c));
    sendTaxii(response, 200, collections.length > 0 ? { collections } : {});
  }

  /** TAXII 2.1 §5.2 */
  @Get('api/collections/:collectionId')
  async collection(
    @CurrentPrincipal() principal: Principal,
    @Param('collectionId') collectionId: string,
    @Res() response: Response,
  ): Promise<void> {
    const found = await this.access.requireCollection(principal, collectionId);
    sendTaxii(response, 200, this.collectionResource(principal, found));
  }

  /** TAXII 2.1 §5.3 */
  @Get('api/collections/:collectionId/manifest')
  async manifest(
    @CurrentPrincipal() principal: Principal,
    @Param('collectionId') collectionId: string,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    this.answer(response, await this.reads.manifest(principal, collectionId, query));
  }

  /** TAXII 2.1 §5.4 */
  @Get('api/collections/:collectionId/objects')
  async objects(
    @CurrentPrincipal() principal: Principal,
    @Param('collectionId') collectionId: string,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    this.answer(response, await this.reads.objects(principal, collectionId, query));
  }

  /** TAXII 2.1 §5.5: 202 with a status resource. */
  @Post('api/collections/:collectionId/objects')
  @HttpCode(202)
  async add(
    @CurrentPrincipal() principal: Principal,
    @Param('collectionId') collectionId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    // Where the caller may write is checked before the body is read.
    await this.access.requireWritable(principal, collectionId);
    const body = await readTaxiiBody(request, this.config.BODY_LIMIT_BYTES);
    sendTaxii(response, 202, await this.writes.add(principal, collectionId, body));
  }

  /** TAXII 2.1 §5.6 */
  @Get('api/collections/:collectionId/objects/:objectId')
  async object(
    @CurrentPrincipal() principal: Principal,
    @Param('collectionId') collectionId: string,
    @Param('objectId') objectId: string,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    this.answer(response, await this.reads.object(principal, collectionId, objectId, query));
  }

  /** TAXII 2.1 §5.7: the caller's organization's objects only. */
  @Delete('api/collections/:collectionId/objects/:objectId')
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('collectionId') collectionId: string,
    @Param('objectId') objectId: string,
    @Res() response: Response,
  ): Promise<void> {
    await this.writes.remove(principal, collectionId, objectId);
    sendTaxii(response, 200, undefined);
  }

  /** TAXII 2.1 §5.8 */
  @Get('api/collections/:collectionId/objects/:objectId/versions')
  async versions(
    @CurrentPrincipal() principal: Principal,
    @Param('collectionId') collectionId: string,
    @Param('objectId') objectId: string,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    this.answer(response, await this.reads.versions(principal, collectionId, objectId, query));
  }

  private answer(response: Response, answer: TaxiiAnswer): void {
    sendTaxii(response, 200, answer.body, answer.headers);
  }

  private collectionResource(
    principal: Principal,
    { collection, community }: { collection: { id: string }; community: { name: string } },
  ) {
    return {
      id: collection.id,
      title: community.name,
      description: `What the members of the community ${community.name} share, as each reader may see it.`,
      can_read: this.access.canRead(principal),
      can_write: this.access.canWrite(principal),
      media_types: [STIX_MEDIA_TYPE],
    };
  }
}
