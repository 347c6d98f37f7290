/**
 * The server's layers (README, Architecture), checked by `npm run lint`:
 *   domain ← flows ← jobs / http ← setup ← server.ts (main.ts, cli.ts)
 * kommo/, linear/, db/ and the other infrastructure sit beside them: flows reach them only
 * through the interfaces they declare (flows/ports.ts, <flow>/deps.ts), never the other way.
 */
const INFRA = '^server/(kommo|linear|db|crypto|ops|widget-package)/|^server/(tenants|reference-data)\\.ts$';
const ROOTS = '^server/(server|main|cli)\\.ts$';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import circles hide which module owns what.', from: { path: '^server/' }, to: { circular: true } },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ holds the product types and pure rules: it imports only itself, shared/ and zod.',
      from: { path: '^server/domain/' },
      to: { pathNot: ['^server/domain/', '^shared/', '^node_modules/zod/'] },
    },
    {
      name: 'flows-reach-infrastructure-through-ports',
      severity: 'error',
      comment: 'A flow declares what it needs (ports.ts, deps.ts); it does not import clients, repositories, the queue or HTTP.',
      from: { path: '^server/flows/', pathNot: '^server/flows/ports\\.ts$' },
      to: { path: [INFRA, '^server/(http|jobs|setup|cli)/', ROOTS, '^server/config\\.ts$'] },
    },
    {
      name: 'ports-import-platform-shapes-as-types-only',
      severity: 'error',
      comment: 'flows/ports.ts may name the data shapes our Kommo and Linear clients parse, as types, and nothing else of infrastructure.',
      from: { path: '^server/flows/ports\\.ts$' },
      to: { path: INFRA, pathNot: '^server/(kommo|linear)/schemas\\.ts$' },
    },
    {
      name: 'ports-types-only',
      severity: 'error',
      from: { path: '^server/flows/ports\\.ts$' },
      to: { path: '^server/(kommo|linear)/schemas\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'flows-no-frameworks',
      severity: 'error',
      comment: 'No SQL, HTTP framework, queue or SDK inside domain/ and flows/.',
      from: { path: '^server/(domain|flows)/' },
      to: { path: '^node_modules/(knex|knex-pglite|pg|pg-boss|koa|@koa|@linear|jose|qs|raw-body|pino|prom-client)/' },
    },
    {
      name: 'infrastructure-does-not-import-upward',
      severity: 'error',
      comment: 'Clients, repositories and caches know the domain, never the flows, jobs, routes or setup.',
      from: { path: INFRA },
      to: { path: ['^server/(flows|http|jobs|setup|cli)/', ROOTS] },
    },
    {
      name: 'jobs-and-http-are-siblings',
      severity: 'error',
      comment: 'Routes get typed enqueue functions bound in setup/routes.ts; jobs never import routes.',
      from: { path: '^server/(jobs|http)/' },
      to: { path: ['^server/(setup|cli)/', ROOTS] },
    },
    { name: 'http-does-not-import-jobs', severity: 'error', from: { path: '^server/http/' }, to: { path: '^server/jobs/' } },
    { name: 'jobs-do-not-import-http', severity: 'error', from: { path: '^server/jobs/' }, to: { path: '^server/http/' } },
    {
      name: 'setup-below-the-roots',
      severity: 'error',
      from: { path: '^server/setup/' },
      to: { path: [ROOTS, '^server/cli/'] },
    },
    {
      name: 'only-jobs-import-the-queue-library',
      severity: 'error',
      from: { path: '^server/', pathNot: '^server/jobs/' },
      to: { path: '^node_modules/pg-boss/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
