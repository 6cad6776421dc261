import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { PinoNestLogger, createLogger, loadConfig } from '@corridor/config';
import { DomainError } from '@corridor/domain';
import { CliModule } from './cli.module';
import { CommandsService } from './commands.service';
import { PeopleCommands } from './people.commands';
import { progress } from './progress';

const HELP = `usage: corridor <command>
  org create --name <name> --country <CC> --kind <cert|agency>   create an organization and its first API key
  org list                                                       every organization, with its id
  key create --org <organization id>                             issue another API key
  key revoke <prefix>                                            revoke a key (cor_<id>)
  reindex                                                        rebuild the Redis correlation and watch indexes
                                                                 from MongoDB (a progress bar on a terminal)
  watchlist import --org <organization id> <file>                watch every value of a text file (one per line,
                                                                 # comments); a progress bar on a terminal
  audit verify [--org <organization id>]                         check the audit hash chains; exit 1 at the first
                                                                 broken link (organization, record, reason)
  user create --org <id> --email <email> [--name <name>] [--roles org-admin[,analyst,oncall]]
                                                                 an organization's first org-admin (it has no users
                                                                 yet); prints a one-time setup token (72 h) with
                                                                 which that person sets their own password
  user create --org <id> --email <email> --roles platform-admin  an operator account, in the operator's own
                                                                 organization; prints a generated password once
  community create --name <name>                                 create a community (GREEN sharing circle)
  community add --community <id> --org <id> [--anonymous]        add an organization to a community`;

/**
 * Prints one JSON object on stdout; logs go to stderr. Exit 2 for usage errors, 1 for failures,
 * including an audit chain found broken (its report is still printed on stdout).
 */
async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.some((arg) => arg === '--help' || arg === '-h' || arg === 'help')) {
    process.stdout.write(`${HELP}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      country: { type: 'string' },
      kind: { type: 'string' },
      org: { type: 'string' },
      email: { type: 'string' },
      roles: { type: 'string' },
      community: { type: 'string' },
      anonymous: { type: 'boolean' },
    },
  });
  const command = positionals.slice(0, 2).join(' ');
  const known =
    [
      'org create',
      'org list',
      'key create',
      'key revoke',
      'audit verify',
      'user create',
      'community create',
      'community add',
      'watchlist import',
    ].includes(command) || positionals[0] === 'reindex';
  if (!known) {
    process.stderr.write(`${HELP}\n`);
    return 2;
  }

  const config = loadConfig();
  const logger = createLogger({ LOG_LEVEL: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL }, 'cli', 2);
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger),
  });
  try {
    const commands = app.get(CommandsService);
    if (command === 'audit verify') {
      const verification = await commands.verifyAudit(values.org);
      process.stdout.write(`${JSON.stringify(verification)}\n`);
      return verification.ok ? 0 : 1;
    }
    const people = app.get(PeopleCommands);
    const handlers: Record<string, () => Promise<unknown>> = {
      'org create': () => commands.createOrganization(values),
      'org list': () => commands.listOrganizations(),
      'key create': () => commands.createKey(values.org),
      'key revoke': () => commands.revokeKey(positionals[2]),
      'user create': () => people.createUser(values),
      'community create': () => people.createCommunity(values),
      'community add': () => people.addMember(values),
      reindex: () => reindexWithProgress(commands),
      'watchlist import': () => importWithProgress(commands, values.org, positionals[2]),
    };
    const result = await handlers[positionals[0] === 'reindex' ? 'reindex' : command]();
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } finally {
    await app.close();
  }
}

const perSecond = (count: number, ms: number) => Math.round(count / Math.max(ms / 1000, 0.001));

/**
 * `reindex` on a terminal draws a progress bar per index on stderr; otherwise (a pipe, a log file,
 * CI) it prints one summary line there at the end. stdout keeps the one JSON result either way.
 */
async function reindexWithProgress(commands: CommandsService) {
  const bars = new Map<string, ReturnType<typeof progress>>();
  const result = await commands.reindex((phase, count, total) => {
    let bar = bars.get(phase);
    if (!bar) {
      bar = progress(`reindex ${phase.padEnd(9)}`, total);
      bars.set(phase, bar);
    }
    bar.update(count, Math.max(total, count));
  });
  const summary =
    `reindex: ${result.reindexed} incidents indexed in ${result.ms} ms ` +
    `(${perSecond(result.reindexed, result.ms)}/s), and ${result.watched} watched values`;
  const bar = [...bars.values()];
  bar.forEach((b, i) => b.finish(i === bar.length - 1 ? summary : ''));
  if (bar.length === 0) progress('reindex', 0).finish(summary);
  return result;
}

/** `watchlist import`: a progress bar on a terminal (stderr), one summary line otherwise. */
async function importWithProgress(commands: CommandsService, orgId: string | undefined, file: string | undefined) {
  const started = Date.now();
  let bar: ReturnType<typeof progress> | undefined;
  const result = await commands.importWatchlist(orgId, file, (done, total) => {
    bar ??= progress('watchlist import', total);
    bar.update(done);
  });
  const ms = Date.now() - started;
  (bar ?? progress('watchlist import', 0)).finish(
    `watchlist import: ${result.added} added, ${result.duplicates} duplicates, ${result.rejected.length} rejected ` +
      `in ${ms} ms`,
  );
  return result;
}

// A reader that stops reading (`… | head`) is not an error of the CLI: leave quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    const usageError = error instanceof DomainError && error.code === 'validation_failed';
    const unknownOption = error instanceof TypeError && 'code' in error;
    process.stderr.write(`corridor: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(usageError || unknownOption ? 2 : 1);
  });
