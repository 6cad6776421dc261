import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CommentsService } from './comments.service';
import { ExportService } from './export.service';
import { IncidentsController } from './incidents.controller';
import { IncidentsService } from './incidents.service';

@Module({
  imports: [AuthModule],
  controllers: [IncidentsController],
  providers: [IncidentsService, ExportService, CommentsService],
  exports: [IncidentsService],
})
export class IncidentsModule {}
