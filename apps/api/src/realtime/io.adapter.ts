import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { Server, ServerOptions } from 'socket.io';

/**
 * Largest message a client may send over a socket: client events are small requests, and the
 * handshake's resume list of up to 500 joined incidents fits.
 */
const MAX_CLIENT_MESSAGE_BYTES = 32 * 1024;

/**
 * socket.io with the api's CORS origins and a small inbound message limit. Events reach sockets
 * through LiveConnections (one Redis channel for all instances), so no socket.io adapter is needed;
 * several instances behind a load balancer need websocket transport or sticky sessions.
 */
export class CorridorIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly cors: { origin: string[] },
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    return super.createIOServer(port, {
      ...options,
      cors: { origin: this.cors.origin },
      maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES,
    }) as Server;
  }
}
