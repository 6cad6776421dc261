import { Global, Module } from '@nestjs/common';
import { RoomsService } from './rooms.service';

/** Control of live connections for any feature (logout, key revocation, sharing changes). */
@Global()
@Module({ providers: [RoomsService], exports: [RoomsService] })
export class RoomsModule {}
