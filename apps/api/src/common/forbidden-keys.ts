/** Keys that could reach a query operator or an object prototype; refused anywhere in a body. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 64;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface Refusal {
  /** Where: `body.a.0.b`, `query.since`, `path`. */
  path: string;
  message: string;
}

/**
 * Text no store or later layer can take: a NUL character (MongoDB refuses it in keys and some
 * stores in values) or a lone UTF-16 surrogate (not Unicode text; drivers fail to encode it).
 * Undefined when the text is acceptable.
 */
export function refuseText(text: string): string | undefined {
  if (text.includes('\0')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'must be well-formed Unicode text (no lone surrogates)';
  return undefined;
}

/**
 * The first place in a parsed JSON value that no layer should see: a forbidden key (`$…`,
 * `__proto__`, `constructor`, `prototype`), unacceptable text in a key or a string, or nesting
 * deeper than 64 levels. Undefined when there is none.
 */
export function findRefused(value: unknown, path = 'body', depth = 0): Refusal | undefined {
  if (depth > MAX_DEPTH) return { path, message: `must not be nested deeper than ${MAX_DEPTH} levels` };
  if (typeof value === 'string') {
    const problem = refuseText(value);
    return problem ? { path, message: problem } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findRefused(value[i], `${path}.${i}`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const key of Object.keys(value)) {
    const here = `${path}.${key}`;
    if (key.startsWith('$') || FORBIDDEN.has(key)) {
      return { path: here, message: 'keys starting with $ and __proto__/constructor/prototype are refused' };
    }
    const keyProblem = refuseText(key);
    if (keyProblem) return { path: here, message: keyProblem };
    const found = findRefused((value as Record<string, unknown>)[key], here, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * The first unacceptable part of a request target: a path segment or query parameter that is not
 * valid percent-encoded UTF-8, or decodes to unacceptable text.
 */
export function findRefusedInTarget(url: string): Refusal | undefined {
  const [pathPart, queryPart = ''] = url.split('?', 2);
  for (const segment of pathPart.split('/')) {
    const problem = decodedProblem(segment);
    if (problem) return { path: 'path', message: problem };
  }
  for (const pair of queryPart.split('&')) {
    if (!pair) continue;
    const [rawName, rawValue = ''] = pair.split('=', 2);
    const name = safeDecode(rawName.replace(/\+/g, ' '));
    const field = name === undefined ? 'query' : `query.${name}`;
    const problem = decodedProblem(rawName) ?? decodedProblem(rawValue);
    if (problem) return { path: field, message: problem };
  }
  return undefined;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function decodedProblem(raw: string): string | undefined {
  const decoded = safeDecode(raw.replace(/\+/g, ' '));
  if (decoded === undefined) return 'must be valid percent-encoded UTF-8';
  return refuseText(decoded);
}
