import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSigned } from '../app';
import type { Incident, IncidentChange } from '../api/types';
import { incidentKey } from '../live/live-bridge';

/** `PATCH /api/v1/incidents/:id`; the answer (the incident as changed) replaces the cached one. */
export function useIncidentChange(incidentId: string) {
  const { session } = useSigned();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (change: IncidentChange) =>
      session.request<Incident>('PATCH', `/api/v1/incidents/${encodeURIComponent(incidentId)}`, change),
    onSuccess: (incident) => queries.setQueryData(incidentKey(incidentId), incident),
  });
}
