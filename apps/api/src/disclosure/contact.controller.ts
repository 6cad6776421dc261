import { Body, Controller, Get, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '@corridor/domain';
import type { ContactEvent } from '@corridor/realtime';
import { AuthGuard, CurrentPrincipal, RequireScopes } from '../auth/auth.guard';
import { ContactEventDto, RequestContactDto } from './dto/contact.dto';
import { AnswerContact } from './usecases/answer-contact.service';
import { ListContactRequests } from './usecases/list-contact-requests.service';
import { RequestContact } from './usecases/request-contact.service';

@ApiTags('disclosure')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Missing, malformed, expired or revoked credentials.' })
@ApiForbiddenResponse({ description: 'The credential lacks the scope this route needs.' })
@UseGuards(AuthGuard)
@Controller('api/v1')
export class ContactController {
  constructor(
    private readonly requestContact: RequestContact,
    private readonly listRequests: ListContactRequests,
    private readonly answerContact: AnswerContact,
  ) {}

  @Post('correlations/:id/contact')
  @RequireScopes('incidents:write')
  @ApiOperation({
    summary:
      'Ask the owner of an anonymous match to make itself known (brokered: no identity crosses before it accepts)',
  })
  @ApiCreatedResponse({ type: ContactEventDto, description: 'Asked.' })
  @ApiOkResponse({ type: ContactEventDto, description: 'Your organization had already asked: that request.' })
  @ApiNotFoundResponse({ description: 'No such correlation, or `yourIncidentId` is not your side of it.' })
  @ApiConflictResponse({ description: 'The match is not anonymous to you (nothing disclosed, or already named).' })
  async request(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() dto: RequestContactDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ContactEvent> {
    const { created, event } = await this.requestContact.execute(principal, id, dto.yourIncidentId);
    response.status(created ? 201 : 200);
    return event;
  }

  @Get('contact-requests')
  @RequireScopes('incidents:read')
  @ApiOperation({ summary: 'Your organization’s contact requests, made and received, newest first' })
  @ApiOkResponse({ type: ContactEventDto, isArray: true })
  list(@CurrentPrincipal() principal: Principal): Promise<ContactEvent[]> {
    return this.listRequests.execute(principal);
  }

  @Post('contact-requests/:id/accept')
  @HttpCode(200)
  @RequireScopes('incidents:write')
  @ApiOperation({ summary: 'Accept a contact request made to your organization: both sides are named to each other' })
  @ApiOkResponse({ type: ContactEventDto })
  @ApiNotFoundResponse({ description: 'No such request made to your organization about an incident you may see.' })
  @ApiConflictResponse({ description: 'The request was already declined.' })
  accept(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ContactEvent> {
    return this.answerContact.execute(principal, id, 'accepted');
  }

  @Post('contact-requests/:id/decline')
  @HttpCode(200)
  @RequireScopes('incidents:write')
  @ApiOperation({ summary: 'Decline a contact request: the requester learns "declined" and nothing else' })
  @ApiOkResponse({ type: ContactEventDto })
  @ApiNotFoundResponse({ description: 'No such request made to your organization about an incident you may see.' })
  @ApiConflictResponse({ description: 'The request was already accepted.' })
  decline(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ContactEvent> {
    return this.answerContact.execute(principal, id, 'declined');
  }
}
