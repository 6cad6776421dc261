import { Injectable } from '@nestjs/common';
import type { ImportResult, Principal } from '@corridor/domain';
import { ImportUpsert, type ImportReport, type ImportWriter } from '@corridor/intake';
import { plainToInstance } from 'class-transformer';
import { CreateIncidentDto } from '../../dto/create-incident.dto';
import { CreateIncident } from '../create-incident/create-incident.service';
import { RetractIncident } from '../retract-incident/retract-incident.service';
import { UpdateIncident } from '../update-incident/update-incident.service';

export type { ImportOutcome, ImportReport, ImportedIncidentOutcome } from '@corridor/intake';

/**
 * Upserts the incidents an importer (STIX, MISP) made of a partner's document, owned by the caller's
 * organization (`ImportUpsert`, shared with the worker's TAXII pulls), writing through the api's use
 * cases so their access checks, socket rooms and timeline apply.
 */
@Injectable()
export class ImportIncidents {
  constructor(
    private readonly upsert: ImportUpsert,
    private readonly create: CreateIncident,
    private readonly update: UpdateIncident,
    private readonly retract: RetractIncident,
  ) {}

  /**
   * @param defaultTlp the TLP of an incident whose source carries none (source default).
   * @throws DomainError `validation_failed` when `defaultTlp` is not a TLP 2.0 label.
   */
  execute(principal: Principal, result: ImportResult, defaultTlp: string | undefined): Promise<ImportReport> {
    const writer: ImportWriter = {
      create: (input) => this.create.execute(principal, plainToInstance(CreateIncidentDto, input), undefined),
      update: (id, changes) => this.update.execute(principal, id, changes),
      retract: async (id, reason) => {
        await this.retract.incident(principal, id, { reason });
      },
    };
    return this.upsert.run(principal, result, defaultTlp, writer);
  }
}
