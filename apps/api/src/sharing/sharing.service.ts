import { Injectable } from '@nestjs/common';
import { SharingContext } from '@corridor/domain';
import { CommunitiesRepository } from '@corridor/persistence';

/** Reads the communities once per request into the context the visibility rule needs. */
@Injectable()
export class SharingService {
  constructor(private readonly communities: CommunitiesRepository) {}

  async context(): Promise<SharingContext> {
    return new SharingContext(await this.communities.all());
  }
}
