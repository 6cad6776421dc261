import { Injectable } from '@nestjs/common';
import type { Incident } from '@corridor/domain';
import { Principals } from '@corridor/persistence';
import { principalsOf, type PrincipalDirectory } from '@corridor/realtime';

/** The principals the planners need to know for the given incidents (RED authors and named people). */
@Injectable()
export class PrincipalDirectoryService {
  constructor(private readonly principals: Principals) {}

  of(...incidents: Array<Pick<Incident, 'tlp' | 'authorId' | 'recipientUserIds'>>): Promise<PrincipalDirectory> {
    return this.principals.resolve([...new Set(incidents.flatMap(principalsOf))]);
  }
}
