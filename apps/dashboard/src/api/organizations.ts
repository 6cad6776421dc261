import { useQuery } from '@tanstack/react-query';
import { useSigned } from '../app';
import type { NameableOrganization } from './types';

export const ORGANIZATIONS_KEY = ['organizations'] as const;

/** GET /api/v1/organizations: the organizations the person may name (one cached read for every page). */
export function useOrganizations(enabled = true) {
  const { session } = useSigned();
  return useQuery({
    queryKey: ORGANIZATIONS_KEY,
    queryFn: () => session.request<NameableOrganization[]>('GET', '/api/v1/organizations'),
    enabled,
    staleTime: 5 * 60_000,
  });
}
