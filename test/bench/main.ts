import { parseArgs } from 'node:util';
import { benchReconcile } from './reconcile.js';

/** `npm run bench -- <name> [options]`: benchmarks that print figures (never part of `npm test`). */
const { positionals, values } = parseArgs({ allowPositionals: true, options: { lines: { type: 'string', default: '100000' } } });
switch (positionals[0]) {
  case 'reconcile':
    await benchReconcile(Number(values.lines));
    break;
  default:
    console.error('usage: npm run bench -- reconcile [--lines N]');
    process.exit(2);
}
