import { Global, Module } from '@nestjs/common';
import { SharingService } from './sharing.service';

/** The cached sharing context, for every feature of the api. */
@Global()
@Module({ providers: [SharingService], exports: [SharingService] })
export class SharingModule {}
