/** Entry point: `npm start`. Parses config, starts the server, stops cleanly on SIGINT/SIGTERM. */
import { ConfigError, loadConfig } from './config';
import { loadEnvFile, type EnvFileResult } from './env-file';
import { createLogger } from './log';
import { startServer } from './server';

async function main(): Promise<void> {
  let config;
  let envFile: EnvFileResult;
  try {
    envFile = loadEnvFile();
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      console.error('See README.md (Configuration) or .env.example for every variable.');
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  if (envFile.path) log.info({ file: envFile.path, variables: envFile.loaded }, 'read variables from the env file (the real environment wins)');
  // A lost database connection surfaces as a rejection inside the queue library; the queue and
  // knex reconnect by themselves, so log it and stay up instead of dropping every request.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection (kept running)'));
  const running = await startServer(config, { log });
  log.info(
    { url: running.url, publicUrl: config.publicUrl, database: running.database.kind, location: running.database.location, jobs: config.jobConcurrency },
    'linear-for-kommo is listening',
  );
  // The same steps as the page at `/` (setup/next-steps.ts), one line each.
  await running.status().then(
    ({ steps }) => {
      steps.forEach((step, i) => log.info({ variables: step.variables, urls: step.urls }, `next step ${i + 1}/${steps.length}: ${step.text}`));
      log.info({ page: `${running.url}/` }, steps.length === 0 ? 'nothing left to configure' : 'these steps are also on the page at /');
    },
    (error: unknown) => log.warn({ err: error }, 'could not list the next setup steps; see the page at /'),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    running
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log.error({ err: error }, 'unclean stop');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('linear-for-kommo failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
