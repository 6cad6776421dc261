import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useSigned } from '../app';
import type { Me } from './types';

export const ME_KEY = ['me'] as const;

/** What the signed-in person may do: the scopes the API grants their roles (GET /api/v1/auth/me). */
export function useScopes(): ReadonlySet<Me['scopes'][number]> {
  const { session } = useSigned();
  const me = useQuery({
    queryKey: ME_KEY,
    queryFn: () => session.request<Me>('GET', '/api/v1/auth/me'),
    staleTime: Infinity,
  });
  return useMemo(() => new Set(me.data?.scopes ?? []), [me.data]);
}
