/**
 * The dependency direction of ../shared/ARCHITECTURE.md, enforced in CI (`npm run depcheck`).
 *
 * - shared/domain is pure: it imports only itself (no node:*, no npm packages but zod-free code).
 * - shared/contracts may import zod and the domain only.
 * - shared/ports and shared/usecases never import an SDK or an adapter.
 * - Google SDKs, @google/genai and the MCP SDK are imported only by shared/adapters and
 *   functions/deps.ts (dev/ is the local stack, a peer of production, not product code).
 * - Within functions/, only deps.ts (the composition root) imports shared/adapters.
 * - Nothing in shared/ imports functions/ or dev/; nothing imports tests/.
 */
const SDKS = '^(@google-cloud/(?!functions-framework)|@google/genai|@modelcontextprotocol/sdk|google-auth-library|firebase-admin)';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'shared/domain imports nothing outside itself.',
      severity: 'error',
      from: { path: '^shared/domain/' },
      to: { pathNot: '^shared/domain/' },
    },
    {
      name: 'contracts-only-zod-and-domain',
      severity: 'error',
      from: { path: '^shared/contracts/' },
      to: { pathNot: ["^shared/(contracts|domain)/", "(^|/)node_modules/zod/"] },
    },
    {
      name: 'core-no-adapters',
      comment: 'Ports and use cases depend on abstractions only.',
      severity: 'error',
      from: { path: '^shared/(ports|usecases|domain|contracts|config)/' },
      to: { path: ['^shared/adapters/', '^functions/', '^dev/'] },
    },
    {
      name: 'sdk-only-in-adapters',
      comment: 'Google SDKs, Gemini and the MCP SDK appear only in shared/adapters and functions/deps.ts.',
      severity: 'error',
      from: { path: '^(shared|functions)/', pathNot: ['^shared/adapters/', '^functions/deps\\.ts$'] },
      to: { path: `(^|/)node_modules/${SDKS.slice(1)}`, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'sdk-types-only-in-adapters',
      comment: 'Even type-only SDK imports stay in adapters, so ports never leak SDK types.',
      severity: 'error',
      from: { path: '^(shared|functions)/', pathNot: ['^shared/adapters/', '^functions/deps\\.ts$'] },
      to: { path: `(^|/)node_modules/${SDKS.slice(1)}` },
    },
    {
      name: 'only-composition-root-wires-adapters',
      severity: 'error',
      from: { path: '^functions/', pathNot: '^functions/deps\\.ts$' },
      to: { path: '^shared/adapters/' },
    },
    {
      name: 'functions-framework-only-at-the-edge',
      comment: 'Only functions/ (and the local runtime in dev/) know the functions framework.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: "(^|/)node_modules/@google-cloud/functions-framework" },
    },
    {
      name: 'nothing-imports-entry-points',
      severity: 'error',
      from: { path: '^(shared|functions)/' },
      to: { path: ['^dev/', '^tests/', '^bench/'] },
    },
    {
      name: 'shared-never-imports-functions',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^functions/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.d.ts'] },
    exclude: { path: ['^dist/', '^\\.local/'] },
  },
};
