import type { IndicatorType } from '../indicators';

/*
 * A reader of the STIX patterning language (STIX 2.1 §9) for the patterns Corridor can hold as
 * indicators: one value of a known kind per comparison.
 */

/** One value a pattern names, as Corridor's indicator type and the value written in the pattern. */
export interface StixPatternIndicator {
  type: IndicatorType;
  /** As written (unescaped), e.g. `203.0.113.0/24`; ASNs as `AS64500`. */
  value: string;
}

export type StixPatternReading =
  { mapped: true; indicators: StixPatternIndicator[] } | { mapped: false; reason: string };

// ---------------------------------------------------------------- tokens

type Token =
  | { kind: 'punct'; text: '[' | ']' | '(' | ')' | ',' | ':' | '.'; at: number }
  | { kind: 'op'; text: string; at: number }
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'typed-string'; prefix: 't' | 'b' | 'h'; text: string; at: number }
  | { kind: 'int'; text: string; at: number }
  | { kind: 'float'; text: string; at: number }
  | { kind: 'end'; at: number };

class Malformed extends Error {}

/** §9.3: keywords are upper case. */
const KEYWORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'FOLLOWEDBY',
  'LIKE',
  'MATCHES',
  'ISSUBSET',
  'ISSUPERSET',
  'IN',
  'EXISTS',
  'WITHIN',
  'SECONDS',
  'START',
  'STOP',
  'REPEATS',
  'TIMES',
  'true',
  'false',
]);

/** A string literal's body from just after its opening quote; §9.2 escapes: `\'` and `\\` only. */
function readString(text: string, from: number): [string, number] {
  let value = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === "'") return [value, i + 1];
    if (c === '\\') {
      const next = text[i + 1];
      if (next !== "'" && next !== '\\') throw new Malformed(`unknown escape \\${next ?? ''} at ${i}`);
      value += next;
      i++;
    } else {
      value += c;
    }
  }
  throw new Malformed(`unterminated string starting at ${from - 1}`);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if ('[]():,.'.includes(c) && !(c === '.' && /\d/.test(text[i + 1] ?? ''))) {
      tokens.push({ kind: 'punct', text: c as '[', at: i });
      i++;
    } else if (c === "'") {
      const [value, end] = readString(text, i + 1);
      tokens.push({ kind: 'string', text: value, at: i });
      i = end;
    } else if ((c === 't' || c === 'b' || c === 'h') && text[i + 1] === "'") {
      const [value, end] = readString(text, i + 2);
      tokens.push({ kind: 'typed-string', prefix: c, text: value, at: i });
      i = end;
    } else if (c === '*') {
      tokens.push({ kind: 'op', text: c, at: i });
      i++;
    } else if (/[=!<>]/.test(c)) {
      const two = text.slice(i, i + 2);
      const op = ['!=', '<=', '>=', '<>'].includes(two) ? two : c;
      if (op === '!' || op === '<>') throw new Malformed(`unknown operator ${op} at ${i}`);
      tokens.push({ kind: 'op', text: op, at: i });
      i += op.length;
    } else if (/[-+\d.]/.test(c)) {
      const m = /^[-+]?(\d*\.\d+|\d+)/.exec(text.slice(i));
      if (!m) throw new Malformed(`unexpected ${c} at ${i}`);
      tokens.push({ kind: m[1].includes('.') ? 'float' : 'int', text: m[0], at: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      // Words: keywords, object types (with hyphens) and property names.
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i))!;
      tokens.push({ kind: 'word', text: m[0], at: i });
      i += m[0].length;
    } else {
      throw new Malformed(`unexpected ${c} at ${i}`);
    }
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

// ---------------------------------------------------------------- syntax tree

interface Comparison {
  kind: 'comparison';
  objectType: string;
  /** The property path: names and keys (`hashes`, `SHA-256`), list indexes as numbers or `*`. */
  path: (string | number)[];
  negated: boolean;
  operator: string;
  /** The literal or, for IN, the set. */
  values: Token[];
}

type ComparisonExpression =
  Comparison | { kind: 'exists'; path: string } | { kind: 'and' | 'or'; parts: ComparisonExpression[] };

type ObservationExpression =
  | { kind: 'observation'; body: ComparisonExpression }
  | { kind: 'and' | 'or' | 'followedby'; parts: ObservationExpression[] };

/** Parentheses nested deeper than this make a pattern unmapped (the parser recurses on each). */
export const STIX_PATTERN_MAX_NESTING = 64;

class Parser {
  private i = 0;
  private depth = 0;

  /** Enters one level of parentheses; refuses to go deeper than STIX_PATTERN_MAX_NESTING. */
  private enter(): void {
    if (++this.depth > STIX_PATTERN_MAX_NESTING) {
      throw new Malformed(`parentheses nested deeper than ${STIX_PATTERN_MAX_NESTING}`);
    }
  }
  constructor(private readonly tokens: Token[]) {}

  /** The token at the cursor; the final `end` token once past the text. */
  private peek(): Token {
    return this.tokens[Math.min(this.i, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    this.i++;
    return t;
  }

  private isWord(text: string): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.text === text;
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === text;
  }

  private expectPunct(text: string): void {
    const t = this.next();
    if (t.kind !== 'punct' || t.text !== text) throw new Malformed(`expected ${text} at ${t.at}`);
  }

  private expectWord(text: string): void {
    const t = this.next();
    if (t.kind !== 'word' || t.text !== text) throw new Malformed(`expected ${text} at ${t.at}`);
  }

  pattern(): ObservationExpression {
    const expression = this.observations();
    const t = this.peek();
    if (t.kind !== 'end') throw new Malformed(`unexpected text at ${t.at}`);
    return expression;
  }

  /** §9.5 precedence, loosest first: FOLLOWEDBY, OR, AND. */
  private observations(): ObservationExpression {
    return this.joined('FOLLOWEDBY', 'followedby', () =>
      this.joined('OR', 'or', () => this.joined('AND', 'and', () => this.observation())),
    );
  }

  private joined(
    keyword: string,
    kind: 'and' | 'or' | 'followedby',
    operand: () => ObservationExpression,
  ): ObservationExpression {
    const parts = [operand()];
    while (this.isWord(keyword)) {
      this.next();
      parts.push(operand());
    }
    return parts.length === 1 ? parts[0] : { kind, parts };
  }

  private observation(): ObservationExpression {
    let expression: ObservationExpression;
    if (this.isPunct('[')) {
      this.next();
      expression = { kind: 'observation', body: this.comparisons() };
      this.expectPunct(']');
    } else if (this.isPunct('(')) {
      this.next();
      this.enter();
      expression = this.observations();
      this.expectPunct(')');
      this.depth--;
    } else {
      throw new Malformed(`expected [ or ( at ${this.peek().at}`);
    }
    this.qualifiers();
    return expression;
  }

  /** §9.4 qualifiers: checked for form, then ignored (see `readStixPattern`). */
  private qualifiers(): void {
    for (;;) {
      if (this.isWord('WITHIN')) {
        this.next();
        const t = this.next();
        if ((t.kind !== 'int' && t.kind !== 'float') || Number(t.text) <= 0) {
          throw new Malformed(`WITHIN needs a positive number of seconds at ${t.at}`);
        }
        this.expectWord('SECONDS');
      } else if (this.isWord('START')) {
        this.next();
        this.timestampLiteral();
        this.expectWord('STOP');
        this.timestampLiteral();
      } else if (this.isWord('REPEATS')) {
        this.next();
        const t = this.next();
        if (t.kind !== 'int' || Number(t.text) <= 0) throw new Malformed(`REPEATS needs a positive integer at ${t.at}`);
        this.expectWord('TIMES');
      } else {
        return;
      }
    }
  }

  private timestampLiteral(): void {
    const t = this.next();
    if (t.kind !== 'typed-string' || t.prefix !== 't') throw new Malformed(`expected t'…' at ${t.at}`);
  }

  private comparisons(): ComparisonExpression {
    const or: ComparisonExpression[] = [this.comparisonAnd()];
    while (this.isWord('OR')) {
      this.next();
      or.push(this.comparisonAnd());
    }
    return or.length === 1 ? or[0] : { kind: 'or', parts: or };
  }

  private comparisonAnd(): ComparisonExpression {
    const and: ComparisonExpression[] = [this.comparison()];
    while (this.isWord('AND')) {
      this.next();
      and.push(this.comparison());
    }
    return and.length === 1 ? and[0] : { kind: 'and', parts: and };
  }

  private comparison(): ComparisonExpression {
    if (this.isPunct('(')) {
      this.next();
      this.enter();
      const inner = this.comparisons();
      this.expectPunct(')');
      this.depth--;
      return inner;
    }
    if (this.isWord('EXISTS')) {
      this.next();
      const { objectType, path } = this.objectPath();
      return { kind: 'exists', path: `${objectType}:${path.join('.')}` };
    }
    const { objectType, path } = this.objectPath();
    let negated = false;
    if (this.isWord('NOT')) {
      this.next();
      negated = true;
    }
    const t = this.next();
    let operator: string;
    if (t.kind === 'op') operator = t.text;
    else if (t.kind === 'word' && ['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET', 'IN'].includes(t.text))
      operator = t.text;
    else throw new Malformed(`expected a comparison operator at ${t.at}`);
    if (operator === 'IN') {
      this.expectPunct('(');
      const values = [this.literal()];
      while (this.isPunct(',')) {
        this.next();
        values.push(this.literal());
      }
      this.expectPunct(')');
      return { kind: 'comparison', objectType, path, negated, operator, values };
    }
    return { kind: 'comparison', objectType, path, negated, operator, values: [this.literal()] };
  }

  private literal(): Token {
    const t = this.next();
    if (t.kind === 'string' || t.kind === 'typed-string' || t.kind === 'int' || t.kind === 'float') return t;
    if (t.kind === 'word' && (t.text === 'true' || t.text === 'false')) return t;
    throw new Malformed(`expected a literal at ${t.at}`);
  }

  /** §9.3 object paths: `<type>:<property>`, then `.name`, `.'quoted name'` or `[index|*]` steps. */
  private objectPath(): { objectType: string; path: (string | number)[] } {
    const type = this.next();
    if (type.kind !== 'word' || KEYWORDS.has(type.text) || !/^[a-z0-9-]+$/.test(type.text)) {
      throw new Malformed(`expected an object type at ${type.at}`);
    }
    this.expectPunct(':');
    const path: (string | number)[] = [this.pathName()];
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        path.push(this.pathName());
      } else if (this.isPunct('[')) {
        this.next();
        const t = this.next();
        if (t.kind === 'int') path.push(Number(t.text));
        else if (t.kind === 'op' && t.text === '*') path.push('*');
        else throw new Malformed(`expected a list index at ${t.at}`);
        this.expectPunct(']');
      } else {
        return { objectType: type.text, path };
      }
    }
  }

  private pathName(): string {
    const t = this.next();
    if (t.kind === 'string') return t.text;
    if (t.kind === 'word' && !t.text.includes('-')) return t.text;
    throw new Malformed(`expected a property name at ${t.at}`);
  }
}

// ---------------------------------------------------------------- mapping

/** `file:hashes` keys: the hash-algorithm-ov names, also as producers write them without the hyphen. */
const HASH_TYPES: ReadonlyMap<string, IndicatorType> = new Map([
  ['md5', 'md5'],
  ['sha-1', 'sha1'],
  ['sha1', 'sha1'],
  ['sha-256', 'sha256'],
  ['sha256', 'sha256'],
  ['sha-512', 'sha512'],
  ['sha512', 'sha512'],
]);

/**
 * Corridor's type of a STIX `hashes` key (hash-algorithm-ov): MD5, SHA-1, SHA-256, SHA-512, matched
 * without regard to case and with the hyphen optional (`SHA256`, as some producers write it).
 */
export function stixHashType(key: string): IndicatorType | undefined {
  return HASH_TYPES.get(key.toLowerCase());
}

const VALUE_TYPES: ReadonlyMap<string, IndicatorType> = new Map([
  ['domain-name', 'domain'],
  ['url', 'url'],
  ['email-addr', 'email'],
]);

function pathText(c: Comparison): string {
  return `${c.objectType}:${c.path.map((step) => (typeof step === 'number' ? `[${step}]` : step)).join('.')}`;
}

/** The indicator a comparison names, or why it names none. */
function mapComparison(c: Comparison): StixPatternIndicator[] | string {
  const where = pathText(c);
  if (c.negated) return `pattern negates a comparison (NOT) on ${where}`;
  if (c.operator !== '=' && c.operator !== 'IN' && c.operator !== 'ISSUBSET') {
    return `pattern compares ${where} with ${c.operator}`;
  }
  const [property, key, ...rest] = c.path;
  let type: IndicatorType | undefined;
  if (c.objectType === 'ipv4-addr' || c.objectType === 'ipv6-addr') {
    if (property === 'value' && key === undefined) type = c.objectType === 'ipv4-addr' ? 'ipv4' : 'ipv6';
  } else if (c.objectType === 'autonomous-system') {
    if (property === 'number' && key === undefined) type = 'asn';
  } else if (c.objectType === 'file') {
    if (property === 'hashes' && typeof key === 'string' && rest.length === 0) type = stixHashType(key);
  } else if (property === 'value' && key === undefined) {
    type = VALUE_TYPES.get(c.objectType);
  }
  if (type === undefined) return `pattern compares ${where}, which Corridor has no indicator type for`;
  if (c.operator === 'ISSUBSET' && type !== 'ipv4' && type !== 'ipv6') {
    return `pattern compares ${where} with ISSUBSET`;
  }

  const found: StixPatternIndicator[] = [];
  for (const literal of c.values) {
    if (type === 'asn') {
      const n = literal.kind === 'int' ? Number(literal.text) : NaN;
      if (!Number.isSafeInteger(n) || n < 0 || n > 4_294_967_295) {
        return `pattern compares ${where} with something other than an AS number`;
      }
      found.push({ type, value: `AS${n}` });
      continue;
    }
    if (literal.kind !== 'string') return `pattern compares ${where} with something other than a string`;
    const value = literal.text;
    // Addresses: a CIDR block written as the value (or after ISSUBSET) is a range.
    const indicatorType = (type === 'ipv4' || type === 'ipv6') && value.includes('/') ? 'cidr' : type;
    found.push({ type: indicatorType, value });
  }
  return found;
}

function comparisonsOf(expression: ComparisonExpression): StixPatternIndicator[] | string {
  switch (expression.kind) {
    case 'comparison':
      return mapComparison(expression);
    case 'exists':
      return `pattern tests EXISTS ${expression.path}`;
    case 'and':
      return 'pattern joins comparisons with AND';
    case 'or':
      return joinAll(expression.parts.map(comparisonsOf));
  }
}

function observationsOf(expression: ObservationExpression): StixPatternIndicator[] | string {
  switch (expression.kind) {
    case 'observation':
      return comparisonsOf(expression.body);
    case 'and':
      return 'pattern joins observations with AND';
    case 'followedby':
      return 'pattern joins observations with FOLLOWEDBY';
    case 'or':
      return joinAll(expression.parts.map(observationsOf));
  }
}

function joinAll(parts: (StixPatternIndicator[] | string)[]): StixPatternIndicator[] | string {
  const reason = parts.find((part): part is string => typeof part === 'string');
  return reason ?? (parts.flat() as StixPatternIndicator[]);
}

/**
 * Reads a STIX 2.1 pattern (§9) into the indicators it names, when it is a disjunction Corridor can
 * hold: observation expressions `[…]` joined by OR, each holding comparisons joined by OR (also
 * parenthesized), each an `=` (or `IN (…)`, the same as ORs) on:
 *
 * - `ipv4-addr:value`, `ipv6-addr:value` → ipv4 / ipv6, or cidr for a CIDR block; `ISSUBSET '<CIDR>'`
 *   too;
 * - `domain-name:value` → domain, `url:value` → url, `email-addr:value` → email;
 * - `file:hashes.MD5`, `file:hashes.'SHA-1'`, `file:hashes.'SHA-256'`, `file:hashes.'SHA-512'` →
 *   md5, sha1, sha256, sha512 (key names matched without regard to case, the hyphen optional);
 * - `autonomous-system:number = <integer>` → asn, as `AS<number>`.
 *
 * String literals take the escapes `\'` and `\\` (§9.2). Qualifiers after an observation (WITHIN …
 * SECONDS, START t'…' STOP t'…', REPEATS … TIMES) are checked for form and ignored: a value is an
 * indicator whenever it was observed. Values are returned as written, unescaped; the worker
 * normalizes and validates them.
 *
 * Never throws: AND, FOLLOWEDBY, NOT, other operators, other object paths, or a malformed pattern make
 * the whole pattern unmapped, with the reason.
 */
export function readStixPattern(pattern: string): StixPatternReading {
  if (typeof pattern !== 'string') return { mapped: false, reason: 'pattern is not a string' };
  let tree: ObservationExpression;
  try {
    tree = new Parser(tokenize(pattern)).pattern();
  } catch (error) {
    if (error instanceof Malformed) return { mapped: false, reason: `malformed pattern: ${error.message}` };
    throw error;
  }
  const result = observationsOf(tree);
  return typeof result === 'string' ? { mapped: false, reason: result } : { mapped: true, indicators: result };
}
