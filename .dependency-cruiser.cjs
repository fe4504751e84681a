/**
 * The layering of ARCHITECTURE.md as rules: dependencies point inward. `npm run lint` fails on
 * any of these. The composition root (src/main.ts, src/serve.ts, src/context-factory.ts,
 * src/logging.ts) wires everything together and may import anything in src/, adapters/ and config/.
 */
const OWN_CODE = '^(src|adapters|config|test)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ holds the rules of the business, with no I/O: it imports only domain/.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: OWN_CODE, pathNot: '^src/domain/' },
    },
    {
      name: 'ports-are-interfaces',
      comment: 'ports/ names what the core needs; it may speak of domain types and configuration, nothing else.',
      severity: 'error',
      from: { path: '^src/ports/' },
      to: { path: OWN_CODE, pathNot: '^(src/ports|src/domain|config)/' },
    },
    {
      name: 'services-use-domain-and-ports',
      comment: 'Use cases reach databases, caches and carriers only through ports/.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: OWN_CODE, pathNot: '^(src/services|src/ports|src/domain|config)/' },
    },
    {
      name: 'http-goes-through-services',
      comment:
        "Routes and pages are thin: they parse, call a service and render; never the store. They may know the ports' logger, metrics, and the errors that say a backing service is away (to answer 503).",
      severity: 'error',
      from: { path: '^src/http/' },
      to: {
        path: OWN_CODE,
        pathNot: '^(src/http|src/services|src/domain|config)/|^src/ports/(logger|metrics|unavailable)\\.ts$',
      },
    },
    {
      name: 'jobs-go-through-services',
      severity: 'error',
      from: { path: '^src/jobs/' },
      to: { path: OWN_CODE, pathNot: '^(src/jobs|src/services|src/ports|src/domain|config)/' },
    },
    {
      name: 'cli-goes-through-services',
      comment: 'The CLI is another edge: services, and the composition root that opens them.',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: {
        path: OWN_CODE,
        pathNot: '^(src/cli|src/services|src/domain|config)/|^src/(context-factory|logging)\\.ts$',
      },
    },
    {
      name: 'store-implements-ports',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: OWN_CODE, pathNot: '^(src/store|src/ports|src/domain|config)/' },
    },
    {
      name: 'metrics-implement-ports',
      severity: 'error',
      from: { path: '^src/metrics/' },
      to: { path: OWN_CODE, pathNot: '^(src/metrics|src/ports|src/domain)/' },
    },
    {
      name: 'cache-implements-ports',
      severity: 'error',
      from: { path: '^src/cache/' },
      to: { path: OWN_CODE, pathNot: '^(src/cache|src/ports)/' },
    },
    {
      name: 'adapters-implement-ports',
      comment: 'A carrier adapter or statement parser speaks a protocol; it never touches the database or a use case.',
      severity: 'error',
      from: { path: '^adapters/', pathNot: '^adapters/simulator/' },
      to: { path: OWN_CODE, pathNot: '^(adapters|src/ports|src/domain|config)/|^adapters/simulator/' },
    },
    {
      name: 'adapters-do-not-use-the-simulator',
      severity: 'error',
      from: { path: '^adapters/', pathNot: '^adapters/simulator/' },
      to: { path: '^adapters/simulator/' },
    },
    {
      name: 'simulator-stands-alone',
      comment:
        "The simulator is an independent carrier: sharing the gateway's code would let a bug on one side be mirrored by the other and pass every end-to-end test.",
      severity: 'error',
      from: { path: '^adapters/simulator/' },
      to: { path: OWN_CODE, pathNot: '^adapters/simulator/' },
    },
    {
      name: 'config-stands-alone',
      severity: 'error',
      from: { path: '^config/' },
      to: { path: OWN_CODE, pathNot: '^config/' },
    },
    {
      name: 'product-code-never-imports-tests',
      severity: 'error',
      from: { path: '^(src|adapters|config)/' },
      to: { path: '^test/' },
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
    // Type-only imports are dependencies too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Resolve packages' "exports" subpaths (csv-stringify/sync) as Node does.
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
