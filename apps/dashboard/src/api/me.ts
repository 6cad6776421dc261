import { useMemo } from 'react';
import { useSigned } from '../app';
import { scopesOf, type Scope } from './domain';

/**
 * What the signed-in person may do: the scopes their roles give, by the same role → scope table the
 * api applies (the api still decides every request).
 */
export function useScopes(): ReadonlySet<Scope> {
  const { user } = useSigned();
  return useMemo(() => new Set(scopesOf(user.roles)), [user.roles]);
}
