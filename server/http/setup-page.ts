/**
 * The page at `/`: what this server is and what is left to set up, as a few KB of static HTML
 * (no script, no framework). Every value goes through `escape`.
 */

export interface NextStep {
  /** Stable, for JSON clients and tests. */
  id: 'public-url' | 'connect-account' | 'widget-keys' | 'kommo-webhook' | 'linear-webhook' | 'database' | 'first-install';
  /** What to do, naming the exact variable or the place in Kommo or Linear. */
  text: string;
  /** The variables the step sets (none for a step done in Kommo or Linear only). */
  variables: string[];
  /** Addresses to paste into Kommo or Linear; a secret appears as `<ITS_VARIABLE>`. */
  urls: string[];
}

/** Safe for an anonymous visitor: no account names, tokens or secrets. */
export interface SetupStatus {
  name: string;
  version: string;
  database: 'pglite' | 'postgres';
  /** Single-account mode (a private integration) is configured. */
  singleAccount: boolean;
  /** Marketplace installs (Kommo OAuth) are on. */
  marketplace: boolean;
  publicUrl: string;
  steps: NextStep[];
}

const DATABASE_NAMES: Record<SetupStatus['database'], string> = {
  pglite: 'embedded PGlite (in DATA_DIR)',
  postgres: 'PostgreSQL (DATABASE_URL)',
};

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1f2328}' +
  'h1{font-size:1.5rem;margin-bottom:.25rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}' +
  'dt{color:#59636e}dd{margin:0}li{margin:.5rem 0}code{background:#f3f4f6;padding:0 .2rem;border-radius:3px;overflow-wrap:anywhere}' +
  '.done{color:#1a7f37}';

export function renderSetupPage(status: SetupStatus): string {
  const steps =
    status.steps.length === 0
      ? '<p class="done">Nothing left to configure: move a deal to Won in Kommo and its Linear issue appears.</p>'
      : `<h2>Next steps</h2><ol>${status.steps.map(renderStep).join('')}</ol>`;
  const mode = [status.singleAccount ? 'single account (private integration)' : '', status.marketplace ? 'marketplace installs (Kommo OAuth)' : '']
    .filter(Boolean)
    .join(', ');
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<title>Linear for Kommo</title><style>${STYLE}</style></head><body>` +
    '<h1>Linear for Kommo</h1><p>The backend of the Kommo widget: a won Kommo deal becomes a Linear issue, and the deal card shows its status.</p>' +
    `<dl><dt>Version</dt><dd>${escape(status.version)}</dd>` +
    `<dt>Database</dt><dd>${escape(DATABASE_NAMES[status.database])}</dd>` +
    `<dt>Accounts</dt><dd>${escape(mode || 'none configured')}</dd>` +
    `<dt>Public address</dt><dd><code>${escape(status.publicUrl)}</code></dd></dl>` +
    steps +
    '<p>Every variable goes in the environment or in a <code>.env</code> file; the README (Install in Kommo, Configuration) has the details. ' +
    'Health: <a href="/readyz">/readyz</a>. The same facts as JSON: <code>Accept: application/json</code>.</p>' +
    '</body></html>'
  );
}

function renderStep(step: NextStep): string {
  const urls = step.urls.map((u) => `<br><code>${escape(u)}</code>`).join('');
  // Variable names are [A-Z_] only, so marking them up after escaping cannot open a tag.
  const text = step.variables.reduce((html, name) => html.replace(new RegExp(`\\b${name}\\b`, 'g'), `<code>${name}</code>`), escape(step.text));
  return `<li id="${escape(step.id)}">${text}${urls}</li>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
