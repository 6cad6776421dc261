import { useQuery } from '@tanstack/react-query';
import { useSigned } from '../app';
import type { OrganizationUser } from '../api/types';
import { may } from '../workflow/workflow-access';

export const PEOPLE_KEY = ['people'] as const;

/**
 * The people of the reader's organization, when the reader may list them (`GET /api/v1/users` needs
 * `users:manage`, i.e. an org-admin); `null` otherwise, and the page names only the reader.
 */
export function usePeople(): { people: OrganizationUser[] | null; nameOf: (userId: string) => string | undefined } {
  const { session, user } = useSigned();
  const allowed = may(user, 'users:manage');
  const people = useQuery({
    queryKey: PEOPLE_KEY,
    queryFn: () => session.request<OrganizationUser[]>('GET', '/api/v1/users'),
    enabled: allowed,
    staleTime: 5 * 60_000,
  });
  const list = allowed && people.isSuccess ? people.data : null;
  const nameOf = (userId: string) => {
    if (userId === user.id) return user.name || user.email;
    const person = list?.find((candidate) => candidate.id === userId);
    return person ? person.name || person.email : undefined;
  };
  return { people: list, nameOf };
}
