import { Injectable } from '@nestjs/common';
import { DomainError, assertRecipientsFit, canSee, type Principal } from '@corridor/domain';
import { IncidentIntake } from '@corridor/intake';
import type { CreateIncidentDto } from '../../dto/create-incident.dto';
import { IncidentAccess } from '../../incident-access.service';
import { IncidentDetails } from '../../incident-details.service';
import { invalid } from '../../incident-filters';
import { detailOf, type IncidentDetail } from '../../incident.view';
import { RecipientsCheck } from '../../recipients-check.service';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * Stores the incident as `pending`, then hands it to the worker (`IncidentIntake`, shared with the
 * worker's TAXII pulls). A duplicate (same externalRef or
 * Idempotency-Key from the same organization) returns the stored incident with `created: false`.
 */
@Injectable()
export class CreateIncident {
  constructor(
    private readonly access: IncidentAccess,
    private readonly recipients: RecipientsCheck,
    private readonly details: IncidentDetails,
    private readonly intake: IncidentIntake,
  ) {}

  async execute(
    principal: Principal,
    dto: CreateIncidentDto,
    idempotencyKey: string | undefined,
  ): Promise<{ created: boolean; incident: IncidentDetail }> {
    const { viewer, sharing } = await this.access.viewerOf(principal);
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw invalid('Idempotency-Key', 'must be 1 to 200 printable ASCII characters');
    }
    const recipients = await this.recipients.check(dto.recipients);
    assertRecipientsFit(dto.tlp, recipients);
    const { created, incident } = await this.intake.submit(
      principal,
      {
        title: dto.title,
        description: dto.description ?? '',
        occurredAt: new Date(dto.occurredAt),
        classification: dto.classification,
        severity: dto.severity,
        tlp: dto.tlp,
        pap: dto.pap,
        externalRef: dto.externalRef,
        disclosure: dto.disclosure ?? null,
        anonymisedSubmitter: dto.anonymisedSubmitter === true,
        ...recipients,
        indicators: dto.indicators ?? [],
      },
      sharing,
      idempotencyKey,
    );
    if (!created) {
      // A replay by a key that may not see the original (e.g. RED by another author) learns nothing new.
      if (!canSee(viewer, incident)) throw new DomainError('conflict', 'this reference was already used');
      return { created, incident: await this.details.of(incident, viewer, sharing) };
    }
    return { created, incident: detailOf(incident, viewer.orgId, sharing, []) };
  }
}
