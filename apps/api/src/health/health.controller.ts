import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { MONGO_CONNECTION, REDIS_CLIENT } from '@corridor/persistence';

type StoreState = 'up' | 'down';

async function probe(check: () => Promise<unknown>, timeoutMs: number): Promise<StoreState> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(MONGO_CONNECTION) private readonly mongo: Connection,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Reachability of MongoDB and Redis; 503 when either is down' })
  async health(@Res({ passthrough: true }) response: Response) {
    const [mongodb, redis] = await Promise.all([
      probe(() => this.mongo.db!.admin().ping(), 2000),
      probe(() => this.redis.ping(), 2000),
    ]);
    const ok = mongodb === 'up' && redis === 'up';
    response.status(ok ? 200 : 503);
    if (!ok) response.setHeader('Retry-After', '5');
    return { status: ok ? 'ok' : 'degraded', stores: { mongodb, redis } };
  }
}
