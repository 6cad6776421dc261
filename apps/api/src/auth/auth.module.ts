import { Global, Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { CONFIG, type AppConfig } from '@corridor/config';
import { REDIS_CLIENT } from '@corridor/persistence';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthenticationService } from './authentication.service';
import { LoginService } from './login.service';
import { RATE_LIMITS, RateLimits } from './rate-limits';
import { SetupService } from './setup.service';
import { TokenService } from './token.service';

@Global()
@Module({
  controllers: [AuthController],
  providers: [
    {
      provide: RATE_LIMITS,
      inject: [REDIS_CLIENT, CONFIG],
      useFactory: (redis: Redis, config: AppConfig) =>
        new RateLimits(redis, config.REDIS_PREFIX, {
          perMinute: config.KEY_RATE_LIMIT_PER_MINUTE,
          maxFailures: config.LOGIN_MAX_FAILURES,
          lockoutSeconds: config.LOGIN_LOCKOUT_SECONDS,
        }),
    },
    TokenService,
    AuthenticationService,
    AuthGuard,
    LoginService,
    SetupService,
  ],
  exports: [AuthenticationService, AuthGuard, TokenService],
})
export class AuthModule {}
