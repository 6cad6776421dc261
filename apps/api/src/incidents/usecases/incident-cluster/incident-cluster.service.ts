import { Injectable } from '@nestjs/common';
import {
  clusterEdges,
  incidentSummaryFor,
  visibilityFilter,
  walkCluster,
  type IncidentCluster,
  type IncidentHead,
  type Principal,
} from '@corridor/domain';
import { CorrelationsRepository, IncidentsRepository } from '@corridor/persistence';
import { IncidentAccess } from '../../incident-access.service';

export const CLUSTER_MAX_NODES = 200;
/** Correlations read per hop at most; beyond, the cluster says it is truncated. */
const CORRELATIONS_PER_HOP = 5000;

/**
 * The correlation cluster around an incident the caller may see: incidents up to `hops` correlations
 * away, walked through visible incidents only, and the indicators shared between them. One read of
 * correlations and one of incidents (visibility filtered by the store) per hop.
 */
@Injectable()
export class GetIncidentCluster {
  constructor(
    private readonly access: IncidentAccess,
    private readonly correlations: CorrelationsRepository,
    private readonly incidents: IncidentsRepository,
  ) {}

  async execute(principal: Principal, id: string, hops: number): Promise<IncidentCluster> {
    const { incident, viewer, sharing } = await this.access.requireVisible(principal, id);
    const visibility = visibilityFilter(viewer);
    const walk = await walkCluster<IncidentHead>(
      incident,
      { hops, maxNodes: CLUSTER_MAX_NODES },
      {
        correlationsOf: (ids) => this.correlations.findForIncidents(ids, CORRELATIONS_PER_HOP),
        correlationsAmong: (ids) => this.correlations.findAmong(ids, CORRELATIONS_PER_HOP),
        visible: async (ids) => [...(await this.incidents.findHeads(ids, visibility)).values()],
      },
    );
    return {
      nodes: walk.nodes.map((node) => ({
        ...incidentSummaryFor(node, viewer.orgId, sharing),
        root: node.id === incident.id,
      })),
      edges: clusterEdges(walk.correlations, new Set(walk.nodes.map((node) => node.id))),
      truncated: walk.truncated,
    };
  }
}
