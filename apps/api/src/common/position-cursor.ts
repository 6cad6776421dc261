import type { PagePosition } from '@corridor/persistence';
import { invalid } from '../incidents/incident-filters';

/**
 * Opaque to clients: base64url of `<createdAt ms>.<id>`, the id of the kind the list holds (`wl` or
 * `wh`: 40 hex digits; `al`, alerts: 32).
 */
export function encodePosition(position: PagePosition): string {
  return Buffer.from(`${position.createdAt.getTime()}.${position.id}`, 'utf8').toString('base64url');
}

export function decodePosition(cursor: string | undefined, idPrefix: 'wl' | 'wh' | 'al'): PagePosition | undefined {
  if (!cursor) return undefined;
  const digits = idPrefix === 'al' ? 32 : 40;
  const match = new RegExp(`^(\\d{1,15})\\.(${idPrefix}-[0-9a-f]{${digits}})$`).exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  if (!match) throw invalid('cursor', 'is not a cursor this api issued');
  return { createdAt: new Date(Number(match[1])), id: match[2] };
}
