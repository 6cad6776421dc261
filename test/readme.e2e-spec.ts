import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, startDeployment, type Deployment } from '@corridor/testing';

/**
 * Every example of the README runs as printed. The shell blocks run in README order, in one bash against this
 * suite's own deployment: the walkthrough first (from the operator's first command to the acknowledged
 * correlation alert; it sets the variables the other examples use), then every other example, in the same
 * shell. What differs from a reader's terminal, and only this:
 *
 * - `http://localhost:3000` is replaced by the deployment's base URL in the text, before bash reads it;
 * - `npm ci` and `npm start` do nothing: `startDeployment` stands in for them, and the shell's environment
 *   carries the deployment's MONGODB_URI, REDIS_URL and REDIS_PREFIX, which `npm run -s cli` then uses;
 * - `curl` and `npm` are shell functions around the real commands that fail unless the command succeeded:
 *   an HTTP status below 400 and, when there is a body, JSON; the CLI's exit code 0 and JSON on stdout.
 *   Any other failing command stops the run too (errexit, pipefail, inherited by command substitutions).
 *
 * A shell block whose fence reads "bash norun: <reason>" is not run. Every other fenced block must be a shell
 * block (run), the live client printed from docs/live-client.cjs (run by the walkthrough, and checked
 * verbatim and across a restart by test/live-client-example.e2e-spec.ts), or a mermaid diagram.
 */

interface Block {
  /** 1-based README line of the opening fence. */
  line: number;
  info: string;
  lines: string[];
}

const README = path.join(ROOT, 'README.md');
const LIVE_CLIENT = path.join(ROOT, 'docs', 'live-client.cjs');
const SHELLS = new Set(['bash', 'sh']);
const RUN_TIMEOUT_MS = 300_000;

function fencedBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let open: Block | undefined;
  text.split('\n').forEach((content, index) => {
    const fence = /^```(.*)$/.exec(content);
    if (!fence) {
      open?.lines.push(content);
      return;
    }
    if (open) {
      if (fence[1].trim() !== '') throw new Error(`README.md line ${index + 1}: a fence opens inside another`);
      blocks.push(open);
      open = undefined;
    } else {
      open = { line: index + 1, info: fence[1].trim(), lines: [] };
    }
  });
  if (open) throw new Error(`README.md line ${open.line}: the fence never closes`);
  return blocks;
}

const language = (block: Block) => block.info.split(/\s+/)[0];
/** The reason of a "norun: <reason>" marker, or undefined when the block is to run. */
const norunReason = (block: Block) => /^\S+\s+norun:\s*(.*)$/.exec(block.info)?.[1];
const runnable = (block: Block) => SHELLS.has(language(block)) && norunReason(block) === undefined;
/** Command lines (comment lines dropped), to count the commands a block holds. */
const commandLines = (block: Block) => block.lines.filter((line) => !/^\s*#/.test(line));

/** Runs the wrapped curl and CLI; every line of the shell's trace of calls goes to $README_CALLS. */
const PRELUDE = String.raw`
set -eE -o pipefail
shopt -s inherit_errexit
trap 'status=$?; echo "README.md line $LINENO: exit $status: $BASH_COMMAND" >&2' ERR

is_json() { node -e 'JSON.parse(require("fs").readFileSync(0, "utf8"))' 2>/dev/null; }

curl() {
  local body status
  body=$(mktemp)
  if ! status=$(command curl -sS -o "$body" -w '%{http_code}' "$@"); then
    cat "$body"; rm -f "$body"; echo "curl $*: no answer" >&2; return 1
  fi
  cat "$body"
  if [ "$status" -lt 200 ] || [ "$status" -ge 400 ]; then
    rm -f "$body"; echo "curl $*: HTTP $status" >&2; return 1
  fi
  if [ -s "$body" ] && ! is_json < "$body"; then
    rm -f "$body"; echo "curl $*: the answer is not JSON" >&2; return 1
  fi
  rm -f "$body"
  echo "curl $status" >> "$README_CALLS"
}

npm() {
  case "$*" in
    ci|start) return 0 ;; # the suite's deployment stands in for them
    "run -s cli -- "*)
      local out code=0
      out=$(command npm "$@") || code=$?
      printf '%s\n' "$out"
      if [ "$code" -ne 0 ]; then echo "npm $*: exit $code" >&2; return 1; fi
      if ! printf '%s' "$out" | is_json; then echo "npm $*: stdout is not one JSON value" >&2; return 1; fi
      echo "cli 0" >> "$README_CALLS"
      ;;
    *) echo "npm $*: not a command the README suite runs" >&2; return 1 ;;
  esac
}

block_done() { echo "$1" >> "$README_BLOCKS"; }
`;

function runBash(
  script: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', [script], { cwd: ROOT, env: { ...process.env, ...env }, detached: true });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4_000_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    // The whole process group: bash, and anything a block left running in the background.
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      output += `\n(killed after ${timeoutMs} ms)`;
      killGroup();
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      killGroup();
      resolve({ code, output });
    });
  });
}

describe('README examples', () => {
  const readme = readFileSync(README, 'utf8');
  const blocks = fencedBlocks(readme);
  let deployment: Deployment;

  beforeAll(async () => {
    deployment = await startDeployment('readme');
  }, 180_000);

  afterAll(async () => {
    await Promise.all([deployment?.api.stop(), deployment?.worker.stop()]);
  });

  it('marks every block it does not run, with a reason, and prints the live client verbatim', () => {
    const liveClient = readFileSync(LIVE_CLIENT, 'utf8').trim();
    const unaccounted = blocks.filter((block) => {
      const lang = language(block);
      if (SHELLS.has(lang)) return norunReason(block) !== undefined && norunReason(block)!.trim() === '';
      if (lang === 'js') return block.lines.join('\n').trim() !== liveClient;
      return lang !== 'mermaid';
    });
    expect(unaccounted.map((block) => `line ${block.line}: \`\`\`${block.info}`)).toEqual([]);
    expect(blocks.filter(runnable).length).toBeGreaterThanOrEqual(10);
    // The wrappers own curl's output and status options; an example must not set them itself.
    const own = blocks
      .filter(runnable)
      .flatMap(commandLines)
      .filter((line) => /\bcurl\b.*\s(-o|-w|-i|--output|--write-out|--include)\s/.test(line));
    expect(own).toEqual([]);
  });

  it(
    'runs the walkthrough and then every other shell example in one shell, each command succeeding',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'corridor-readme-'));
      const files = {
        README_PRELUDE: path.join(dir, 'prelude.sh'),
        README_CALLS: path.join(dir, 'calls'),
        README_BLOCKS: path.join(dir, 'blocks'),
      };
      writeFileSync(files.README_PRELUDE, PRELUDE);
      writeFileSync(files.README_CALLS, '');
      writeFileSync(files.README_BLOCKS, '');

      // The script keeps the README's line numbers: its lines are the runnable blocks' lines, in place; the
      // fences become markers and everything else is blank (line 1, outside any block, loads the prelude).
      const lines = readme.split('\n').map(() => '');
      expect(blocks[0].line).toBeGreaterThan(1);
      lines[0] = 'source "$README_PRELUDE"';
      const run = blocks.filter(runnable);
      for (const block of run) {
        block.lines.forEach((content, index) => {
          lines[block.line + index] = content.replaceAll('http://localhost:3000', deployment.baseUrl);
        });
        lines[block.line + block.lines.length] = `block_done ${block.line}`;
      }
      const script = path.join(dir, 'readme.sh');
      writeFileSync(script, lines.join('\n'));

      const { code, output } = await runBash(script, { ...deployment.env, ...files }, RUN_TIMEOUT_MS);
      const done = readFileSync(files.README_BLOCKS, 'utf8').split('\n').filter(Boolean).map(Number);
      if (code !== 0)
        throw new Error(
          `exit ${code}; blocks done: ${done.join(', ')}; the end of the output:\n${output.slice(-8000)}`,
        );
      expect(done).toEqual(run.map((block) => block.line));

      // Every curl and CLI command of the run blocks was called, once, and succeeded.
      const calls = readFileSync(files.README_CALLS, 'utf8').split('\n').filter(Boolean);
      const count = (pattern: RegExp) =>
        run.flatMap(commandLines).reduce((sum, line) => sum + (line.match(pattern)?.length ?? 0), 0);
      expect({
        curl: calls.filter((call) => call.startsWith('curl ')).length,
        cli: calls.filter((call) => call.startsWith('cli ')).length,
      }).toEqual({ curl: count(/\bcurl\s/g), cli: count(/\bnpm run -s cli --/g) });
      // The walkthrough's on-call socket printed the alert (the step that shows it greps it from the log).
      expect(output).toMatch(/correlation\.alert \{"id":"cor-[^"]+",.*"counterpart":\{"disclosure":"full"/);
    },
    RUN_TIMEOUT_MS + 60_000,
  );

  it('shows the CLI as `npm run -s cli`, whose help exits 0 and whose early-closed stdout ends it quietly', async () => {
    expect(readme).not.toMatch(/npm run cli\b/);
    const helpScript = writeScript('npm run -s cli -- --help > "$HELP"; echo "exit $?"');
    const helpFile = path.join(path.dirname(helpScript), 'help.txt');
    const help = await runBash(helpScript, { ...deployment.env, HELP: helpFile }, 60_000);
    expect(help.output.trim()).toBe('exit 0');
    expect(readFileSync(helpFile, 'utf8')).toMatch(/^usage: corridor/);
    // A reader that stops at once (head) or never reads (true): no stack, exit 0 on both sides.
    for (const reader of ['head -c1', 'true']) {
      const piped = await runBash(
        writeScript(`set -o pipefail; npm run -s cli -- org list | ${reader}; echo " exit $?"`),
        deployment.env,
        60_000,
      );
      expect(piped.output.trim()).toBe(reader === 'true' ? 'exit 0' : '{ exit 0');
    }
  });
});

function writeScript(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'corridor-readme-')), 'script.sh');
  writeFileSync(file, `${text}\n`);
  return file;
}
