/* Indicator extraction on adversarial text: the worst time per KB over a set of hostile shapes, against
   splitting the same text at whitespace (String.prototype.split) as the raw primitive. Pure CPU, no
   stores: `node dist/bench/extraction.js` after `npm run build` runs it alone. */
import { performance } from 'node:perf_hooks';
import { extractIndicators } from '@corridor/domain';

export interface ExtractionFigures {
  /** Size of each input (bytes of UTF-16 text / 1024). */
  kb: number;
  /** The slowest shape, and its extraction time per KB (ms), best of the repetitions. */
  worstShape: string;
  worstMsPerKb: number;
  /** `split(/\s+/)` of the same input per KB (ms), best of the repetitions. */
  splitMsPerKb: number;
  /** Every shape's extraction time per KB (ms). */
  perShape: Record<string, number>;
}

const SIZE = 100 * 1024;

/** Repeats `unit` to `SIZE` characters. */
const fill = (unit: string) => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);

/** Distinct items joined by `separator`, to `SIZE` characters. */
function distinct(item: (i: number) => string, separator: string): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < SIZE; i++) {
    const part = item(i);
    parts.push(part);
    length += part.length + separator.length;
  }
  return parts.join(separator).slice(0, SIZE);
}

const arabicDigits = (text: string) => text.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));

/** Hostile shapes: deep and unbalanced nesting, long runs of markers, schemes, separators and escapes. */
export function adversarialInputs(): Record<string, string> {
  const nested = (depth: number) => `a${'['.repeat(depth)}.${']'.repeat(depth)}com `;
  return {
    'nested brackets, depth 200': fill(nested(200)),
    'nested brackets, depth 2000': fill(nested(2000)),
    'one bracket nest of 100 KB': `${'['.repeat(SIZE / 2)}.${']'.repeat(SIZE / 2)}`,
    'mixed nesting ([{': fill(`x${'([{'.repeat(300)}.${'}])'.repeat(300)}y `),
    'unclosed openers': fill('[( '),
    'spaced markers': fill('evil[ dot ]'),
    'defang markers, no spaces': fill('[.]'),
    'defanged schemes': fill('hxxp[:]//'),
    'schemes without hosts': fill('http://'),
    'scheme-like words': fill('h[tt]p(s)[x]:'),
    'URLs joined by commas': fill('http://a.example.com/x,'),
    'URL of 100 KB': `http://example.com/${'a;b,'.repeat(SIZE / 4)}`,
    'addresses joined by commas': fill('203.0.113.7,'),
    'distinct addresses': distinct((i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, ' '),
    'distinct URLs joined by commas': distinct((i) => `hxxp://h${i}[.]example[.]com/p;q,${i}`, ','),
    'distinct nested defangs': distinct((i) => `h${i}[[[.]]]example(.)com`, ' '),
    'distinct Arabic-Indic addresses': distinct(
      (i) => `${arabicDigits(`10.${(i >> 8) & 255}.${i & 255}.1`)}\u060c`,
      ' ',
    ),
    'dotted numbers': fill('1.'),
    colons: fill(':'),
    'backslashes before a dot': fill(`${'\\'.repeat(500)}.`),
    'at signs and colons': fill('a:b@'),
    'bidi marks and Arabic commas': fill('\u200f203.0.113.5\u200f\u060c'),
    'Arabic-Indic digits': fill('\u0662\u0660\u0663.\u0660.\u0661\u0661\u0663.\u0665 '),
    'percent signs': fill('%2e'),
    'one word': fill('a'),
  };
}

function best(runs: number, task: () => unknown): number {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    task();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

export function extractionFigures(runs = 3): ExtractionFigures {
  const perShape: Record<string, number> = {};
  let worstShape = '';
  let worstMsPerKb = 0;
  let splitMsPerKb = 0;
  for (const [name, text] of Object.entries(adversarialInputs())) {
    const kb = text.length / 1024;
    const ms = best(runs, () => extractIndicators(text)) / kb;
    perShape[name] = ms;
    if (ms > worstMsPerKb) {
      worstMsPerKb = ms;
      worstShape = name;
      splitMsPerKb = best(runs, () => text.split(/\s+/)) / kb;
    }
  }
  return { kb: SIZE / 1024, worstShape, worstMsPerKb, splitMsPerKb, perShape };
}

if (require.main === module) {
  const figures = extractionFigures();
  for (const [name, ms] of Object.entries(figures.perShape)) {
    process.stdout.write(`${name.padEnd(36)} ${ms.toFixed(3).padStart(10)} ms/KB\n`);
  }
  process.stdout.write(
    `\nworst: ${figures.worstShape}, ${figures.worstMsPerKb.toFixed(3)} ms/KB against split ${figures.splitMsPerKb.toFixed(4)} ms/KB\n`,
  );
}
