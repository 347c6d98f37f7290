/**
 * What this server is and what is left to set up, computed once for the page at `/` and for the
 * start log, so both always name the same steps. Everything here may be shown to an anonymous
 * visitor: no account names, tokens or secrets (a secret appears only as its variable's name).
 */
import { version } from '../../package.json';
import type { Config } from '../config';
import type { InstallationStore } from '../db/installation-store';
import type { Installation } from '../domain/installation';
import type { NextStep, SetupStatus } from '../http/setup-page';

export interface NextStepsInput {
  config: Pick<Config, 'publicUrl' | 'registerWebhooks' | 'singleAccount' | 'kommoOAuth'>;
  database: SetupStatus['database'];
  /** The single-account installation as stored; undefined before it is seeded and in marketplace mode. */
  single: Pick<Installation, 'kommoWebhookStatus' | 'linearWebhookConfigured'> | undefined;
  /** Marketplace mode: whether any account has installed the widget. */
  anyInstallation: boolean;
}

export function nextSteps(input: NextStepsInput): NextStep[] {
  const { config } = input;
  const url = config.publicUrl;
  const steps: NextStep[] = [];
  if (!url.startsWith('https://')) {
    steps.push({
      id: 'public-url',
      text: `Set PUBLIC_URL to the public https address of this server (now ${url}): Kommo and Linear send their webhooks there, and the widget calls it from Kommo's https pages.`,
      variables: ['PUBLIC_URL'],
      urls: [],
    });
  }
  if (!config.singleAccount && !config.kommoOAuth) {
    steps.push({
      id: 'connect-account',
      text:
        'Connect Kommo and Linear. For one Kommo account (a private integration) set KOMMO_BASE_URL, KOMMO_ACCESS_TOKEN (the long-lived token), ' +
        'KOMMO_WEBHOOK_SECRET (16+ random characters) and LINEAR_API_KEY (a Linear personal API key), plus LINEAR_TEAM when the workspace has several teams. ' +
        'For many accounts (the marketplace) set KOMMO_CLIENT_ID and KOMMO_CLIENT_SECRET with DATABASE_URL and ENCRYPTION_KEY instead.',
      variables: ['KOMMO_BASE_URL', 'KOMMO_ACCESS_TOKEN', 'KOMMO_WEBHOOK_SECRET', 'LINEAR_API_KEY', 'LINEAR_TEAM'],
      urls: [],
    });
  }
  if (!config.kommoOAuth) {
    steps.push({
      id: 'widget-keys',
      text:
        'Set KOMMO_CLIENT_ID and KOMMO_CLIENT_SECRET to the integration id and secret key (in Kommo, the integration\'s "Keys and scopes" tab): ' +
        'the deal card and the settings page prove who is asking with tokens Kommo signs with that secret, and are refused without it.',
      variables: ['KOMMO_CLIENT_ID', 'KOMMO_CLIENT_SECRET'],
      urls: [],
    });
  }
  if (config.singleAccount) steps.push(...singleAccountSteps(input));
  else if (config.kommoOAuth) steps.push(...marketplaceSteps(input));
  return steps;
}

function singleAccountSteps({ config, single }: NextStepsInput): NextStep[] {
  const steps: NextStep[] = [];
  const url = config.publicUrl;
  const status = single?.kommoWebhookStatus ?? null;
  if (status !== 'registered') {
    const why =
      status === 'unavailable'
        ? ' Kommo refused to register it through the API (API webhooks need the Advanced or Enterprise plan); meanwhile won deals are found by polling (WON_POLL_INTERVAL_SECONDS).'
        : config.registerWebhooks && status === null
          ? ' The server is registering it itself (PUBLIC_URL is https); this step goes away once it has.'
          : ' Skip it if you have added it already: the server cannot see webhooks made by hand.';
    steps.push({
      id: 'kommo-webhook',
      text: `In Kommo, Settings → Integrations → Web hooks: add ${url}/webhooks/kommo/<KOMMO_WEBHOOK_SECRET> (that variable's value in place of the placeholder) for the events "Lead status changed" (status_lead) and "Lead added" (add_lead).${why}`,
      variables: ['KOMMO_WEBHOOK_SECRET'],
      urls: [`${url}/webhooks/kommo/<KOMMO_WEBHOOK_SECRET>`],
    });
  }
  if (!(single?.linearWebhookConfigured ?? Boolean(config.singleAccount?.linearWebhookSecret))) {
    steps.push({
      id: 'linear-webhook',
      text:
        `In Linear, Settings → API → New webhook: URL ${url}/webhooks/linear, resource type "Issues"; then set LINEAR_WEBHOOK_SECRET to its signing secret. ` +
        `${config.registerWebhooks ? 'With a workspace admin\'s LINEAR_API_KEY the server creates it itself. ' : ''}` +
        'Until then Linear status changes reach Kommo only by reconciliation (RECONCILE_INTERVAL_SECONDS).',
      variables: ['LINEAR_WEBHOOK_SECRET'],
      urls: [`${url}/webhooks/linear`],
    });
  }
  return steps;
}

function marketplaceSteps({ config, database, anyInstallation }: NextStepsInput): NextStep[] {
  const steps: NextStep[] = [];
  const url = config.publicUrl;
  if (database === 'pglite') {
    steps.push({
      id: 'database',
      text: 'Set DATABASE_URL (PostgreSQL) and ENCRYPTION_KEY (openssl rand -base64 32): the embedded database suits one process on one machine, not the tokens of many accounts.',
      variables: ['DATABASE_URL', 'ENCRYPTION_KEY'],
      urls: [],
    });
  }
  if (!anyInstallation) {
    steps.push({
      id: 'first-install',
      text:
        `In Kommo's technical account, give the integration the redirect URI ${url}/oauth/kommo/callback and the "access revoked" hook ${url}/oauth/kommo/revoke, ` +
        `upload dist/widget.zip (built with WIDGET_TARGET=marketplace; ${url}/widget.zip serves this server's build with its address) and install it in an account; its admin then pastes a Linear API key in the widget settings.`,
      variables: [],
      urls: [`${url}/oauth/kommo/callback`, `${url}/oauth/kommo/revoke`, `${url}/widget.zip`],
    });
  }
  return steps;
}

export interface SetupStatusDeps {
  config: NextStepsInput['config'];
  database: SetupStatus['database'];
  installations: Pick<InstallationStore, 'findSingle' | 'listActive'>;
}

/** Reads the stored state each time: webhooks get registered in the background after the start. */
export function createSetupStatus(deps: SetupStatusDeps): () => Promise<SetupStatus> {
  const { config, database } = deps;
  return async () => {
    const single = config.singleAccount ? await deps.installations.findSingle() : undefined;
    const anyInstallation = !config.singleAccount && config.kommoOAuth ? (await deps.installations.listActive()).length > 0 : false;
    return {
      name: 'linear-for-kommo',
      version,
      database,
      singleAccount: Boolean(config.singleAccount),
      marketplace: Boolean(config.kommoOAuth),
      publicUrl: config.publicUrl,
      steps: nextSteps({ config, database, single, anyInstallation }),
    };
  };
}
