import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { TimelineModule } from '../timeline/timeline.module';
import { IntakeModule } from '@corridor/intake';
import { IncidentAccess } from './incident-access.service';
import { IncidentDetails } from './incident-details.service';
import { ExchangeController } from './exchange.controller';
import { IncidentsController } from './incidents.controller';
import { ImportIncidents } from './usecases/import-incidents/import-incidents.service';
import { RecipientsCheck } from './recipients-check.service';
import { AddComment } from './usecases/comments/add-comment.service';
import { ListComments } from './usecases/comments/list-comments.service';
import { CreateIncident } from './usecases/create-incident/create-incident.service';
import { ExportIncidents } from './usecases/export-incidents/export-incidents.service';
import { GetIncident } from './usecases/get-incident/get-incident.service';
import { GetIncidentCluster } from './usecases/incident-cluster/incident-cluster.service';
import { IncidentOverview } from './usecases/incident-overview/incident-overview.service';
import { IncidentStats } from './usecases/incident-stats/incident-stats.service';
import { IncidentTimeline } from './usecases/incident-timeline/incident-timeline.service';
import { ListIncidents } from './usecases/list-incidents/list-incidents.service';
import { SearchIncidents } from './usecases/search-incidents/search-incidents.service';
import { ListSightings } from './usecases/sightings/list-sightings.service';
import { ReportSighting } from './usecases/sightings/report-sighting.service';
import { RetractIncident } from './usecases/retract-incident/retract-incident.service';
import { UpdateIncident } from './usecases/update-incident/update-incident.service';

@Module({
  imports: [AuthModule, TimelineModule, IntakeModule],
  controllers: [IncidentsController, ExchangeController],
  providers: [
    IncidentAccess,
    IncidentDetails,
    RecipientsCheck,
    IncidentTimeline,
    CreateIncident,
    GetIncident,
    ListIncidents,
    SearchIncidents,
    IncidentStats,
    UpdateIncident,
    ExportIncidents,
    AddComment,
    ListComments,
    ReportSighting,
    ListSightings,
    GetIncidentCluster,
    IncidentOverview,
    RetractIncident,
    ImportIncidents,
  ],
  exports: [RetractIncident, ImportIncidents],
})
export class IncidentsModule {}
