import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { TaxiiAccess } from './taxii-access.service';
import { TaxiiAuthGuard } from './taxii-auth.guard';
import { TaxiiController } from './taxii.controller';
import { TaxiiErrorFilter } from './taxii-error.filter';
import { ImportInCollection, StoreInCollection, TAXII_OBJECT_INGEST } from './taxii-ingest';
import { TaxiiReads } from './taxii-reads.service';
import { TaxiiWrites } from './taxii-writes.service';

/** The TAXII 2.1 server at /taxii2/; POSTed objects are stored and imported (see taxii-ingest.ts). */
@Module({
  imports: [AuthModule, IncidentsModule],
  controllers: [TaxiiController],
  providers: [
    TaxiiAccess,
    TaxiiAuthGuard,
    TaxiiErrorFilter,
    TaxiiReads,
    TaxiiWrites,
    StoreInCollection,
    ImportInCollection,
    { provide: TAXII_OBJECT_INGEST, useExisting: ImportInCollection },
  ],
})
export class TaxiiModule {}
