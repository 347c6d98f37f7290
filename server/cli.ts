/** `npm run cli -- <command> [args] [--installation <id>]`: support commands; see cli/commands.ts. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './config';
import { loadEnvFile } from './env-file';
import { createSecretBox, loadOrCreateKeyFile } from './crypto/secret-box';
import { createCacheStore } from './db/cache-store';
import { createDatabase } from './db/create-db';
import { createInstallationStore } from './db/installation-store';
import { migrateToLatest } from './db/migrate';
import { createInstallationsRepo } from './db/repos/installations';
import { kommoBackfillJob } from './jobs/kommo-backfill';
import { kommoDealWonJob } from './jobs/kommo-deal-won';
import { enqueueCustomerSync, linearCustomerJob } from './jobs/linear-customer';
import { createQueue } from './jobs/queue';
import { createLogger } from './log';
import { createMetrics } from './ops/metrics';
import { createTokenProviders } from './setup/marketplace';
import { createLinearTokenSources } from './setup/linear-tokens';
import { COMMANDS } from './cli/commands';
import { noInstallationMessage } from './cli/no-installation';
import { rateSlotsFor } from './rate-slots';
import { createTenants } from './tenants';

const HELP = new Set(['help', '--help', '-h']);

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([key, c]) => `  ${key.padEnd(16)} ${c.help}`);
  return `Usage: npm run cli -- <command> [args] [--installation <id>]\n\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || HELP.has(name)) {
    process.stdout.write(usage());
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`unknown command: ${name}\n\n${usage()}`);
    return 2;
  }
  const flag = rest.indexOf('--installation');
  const installationId = flag >= 0 ? rest[flag + 1] : undefined;
  const args = flag >= 0 ? rest.filter((_, i) => i !== flag && i !== flag + 1) : rest;

  loadEnvFile();
  const config = loadConfig();
  // Opening PGlite creates its folder: a support command must not leave an empty ./data behind.
  const embeddedFolder = resolve(config.dataDir, 'pglite');
  if (!config.databaseUrl && !existsSync(embeddedFolder)) {
    process.stderr.write(`${noInstallationMessage(config, `${resolve(config.dataDir)} (DATA_DIR; no database there)`).join('\n')}\n`);
    return 1;
  }
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const database = createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const queue = createQueue({ kind: database.kind, db: database.db, databaseUrl: config.databaseUrl, log, concurrency: 1, retryLimit: config.jobRetryLimit, expireInSeconds: config.jobTimeoutSeconds });
  try {
    await migrateToLatest(database.db);
    const installations = createInstallationStore(database.db, createInstallationsRepo(createSecretBox(config.encryptionKey ?? loadOrCreateKeyFile(config.dataDir))));
    const all = await installations.listActive();
    const installation = installationId ? await installations.load(installationId) : all.length === 1 ? all[0] : undefined;
    if (!installation) {
      const message = installationId
        ? [`No installation ${installationId}; the active ones:`, ...all.map((i) => `  ${i.id}  ${i.kommoBaseUrl}`)]
        : all.length === 0
          ? noInstallationMessage(config, database.kind === 'pglite' ? `${resolve(config.dataDir)} (DATA_DIR)` : database.location)
          : ['Several installations; pass --installation <id>:', ...all.map((i) => `  ${i.id}  ${i.kommoBaseUrl}`)];
      process.stderr.write(`${message.join('\n')}\n`);
      return 1;
    }
    const metrics = createMetrics(async () => []);
    const tenantFor = createTenants({ config, rateSlots: rateSlotsFor(database), cache: createCacheStore(database.db), metrics, credentials: (id) => installations.credentials(id), tokensFor: createTokenProviders(config, installations), linearTokensFor: createLinearTokenSources(config, installations) });
    // A command that works the queue (a followed backfill) runs the backfill and Won jobs here:
    // on the embedded database the server cannot run beside the CLI.
    const jobDeps = { db: database.db, installations, tenantFor, log, leaseSeconds: config.jobTimeoutSeconds };
    queue.register(kommoDealWonJob({ ...jobDeps, metrics, enqueueCustomer: (installationId, leadId) => enqueueCustomerSync(queue, installationId, leadId, 'linked') }));
    queue.register(linearCustomerJob(jobDeps));
    queue.register(kommoBackfillJob(jobDeps, queue));
    await queue.start({ workers: command.works?.(args) ?? false });
    const tenant = tenantFor(installation);
    for (const line of await command.run({ db: database.db, queue, installation, tenant, write: (text) => process.stdout.write(text), tty: process.stdout.isTTY === true }, args)) process.stdout.write(`${line}\n`);
    return 0;
  } finally {
    await queue.stop();
    await database.close();
  }
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `cli failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
