import { Global, Module } from '@nestjs/common';
import { RoomsService } from './rooms.service';

/** The socket server handle, for services that must reach connected clients (no dependencies of its own). */
@Global()
@Module({ providers: [RoomsService], exports: [RoomsService] })
export class RoomsModule {}
