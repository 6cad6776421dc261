/** Keys that could reach a query operator or an object prototype; refused anywhere in a body. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 64;

/** The path of the first forbidden key in a parsed JSON value, or undefined when there is none. */
export function findForbiddenKey(value: unknown, path = 'body', depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findForbiddenKey(value[i], `${path}.${i}`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const key of Object.keys(value)) {
    const here = `${path}.${key}`;
    if (key.startsWith('$') || FORBIDDEN.has(key)) return here;
    const found = findForbiddenKey((value as Record<string, unknown>)[key], here, depth + 1);
    if (found) return found;
  }
  return undefined;
}
