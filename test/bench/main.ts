import { parseArgs } from 'node:util';
import { benchFlows } from './flows.js';
import { benchReconcile } from './reconcile.js';
import { benchRisk } from './risk.js';
import { benchTokens } from './tokens.js';

/** `npm run bench -- <name> [options]`: benchmarks that print figures (never part of `npm test`). */
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    lines: { type: 'string', default: '100000' },
    concurrency: { type: 'string', default: '32' },
    seconds: { type: 'string', default: '20' },
    rate: { type: 'string' },
    population: { type: 'string', default: '2000' },
    ring: { type: 'string', default: '60' },
  },
});
const flowOptions = {
  concurrency: Number(values.concurrency),
  seconds: Number(values.seconds),
  rate: values.rate ? Number(values.rate) : undefined,
};
switch (positionals[0]) {
  case 'reconcile':
    await benchReconcile(Number(values.lines));
    break;
  case 'flows':
    await benchFlows(flowOptions);
    break;
  case 'tokens':
    await benchTokens({ concurrency: Number(values.concurrency), seconds: Number(values.seconds) });
    break;
  case 'risk':
    await benchRisk({ population: Number(values.population), ring: Number(values.ring) });
    break;
  case 'reads':
    await benchFlows({ ...flowOptions, readsOnly: true });
    break;
  default:
    console.error(
      'usage: npm run bench -- reconcile [--lines N] | flows [--concurrency N] [--seconds S] [--rate R] | reads [--concurrency N] [--seconds S] | tokens [--concurrency N] [--seconds S] | risk [--population N] [--ring N]',
    );
    process.exit(2);
}
