import type { PagePosition } from '@corridor/persistence';
import { invalid } from '../../incidents/incident-filters';

/** Opaque to clients: base64url of `<createdAt ms>.<id>`, the id of the kind the list holds (`wl` or `wh`). */
export function encodePosition(position: PagePosition): string {
  return Buffer.from(`${position.createdAt.getTime()}.${position.id}`, 'utf8').toString('base64url');
}

export function decodePosition(cursor: string | undefined, idPrefix: 'wl' | 'wh'): PagePosition | undefined {
  if (!cursor) return undefined;
  const match = new RegExp(`^(\\d{1,15})\\.(${idPrefix}-[0-9a-f]{40})$`).exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  if (!match) throw invalid('cursor', 'is not a cursor this api issued');
  return { createdAt: new Date(Number(match[1])), id: match[2] };
}
