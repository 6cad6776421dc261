import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Principal } from '@corridor/domain';
import { AuditRepository } from '@corridor/persistence';
import { AuthGuard, CurrentPrincipal, RequireScopes } from '../auth/auth.guard';
import { DecimalInteger } from '../common/decimal-integer';

class AuditQuery {
  @ApiPropertyOptional({
    description: 'Records with a sequence number below this one (the previous page’s nextBefore).',
  })
  @IsOptional()
  @DecimalInteger()
  @IsInt()
  @Min(1)
  before?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @DecimalInteger()
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

@ApiTags('audit')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly records: AuditRepository) {}

  @Get()
  @RequireScopes('audit:read')
  @ApiOperation({ summary: 'The organization’s audit trail, newest first (org-admins)' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: AuditQuery) {
    const page = await this.records.list(principal.orgId, { beforeSeq: query.before, limit: query.limit ?? 100 });
    const last = page.items.at(-1);
    return { items: page.items, nextBefore: page.hasMore && last ? last.seq : null };
  }
}
