import { Injectable } from '@nestjs/common';
import type { SharingContext } from '@corridor/domain';
import { SharingDirectory } from '@corridor/persistence';

/** The sharing context for a request: communities and organizations, re-read only when they changed. */
@Injectable()
export class SharingService {
  constructor(private readonly directory: SharingDirectory) {}

  context(): Promise<SharingContext> {
    return this.directory.context();
  }

  /** After a change of disclosure policy (communities and organizations bump it themselves). */
  invalidate(): Promise<void> {
    return this.directory.invalidate();
  }
}
