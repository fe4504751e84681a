import { describe, expect, it } from 'vitest';
import { start } from '../../src/main.js';
import { freshDatabase } from '../helpers/database.js';

const options = (url: string) => ({
  env: { DATABASE_URL: url, LOG_LEVEL: 'silent', MASTER_KEY: '11'.repeat(32) },
  overrides: { env: 'test', port: 0, simulator: { enabled: true, port: 0 } },
});

describe.skipIf(!process.env.DATABASE_URL)('in-process cache on a shared database', () => {
  it('lets only one gateway instance run without Redis, and the next one once the first stopped', async () => {
    const database = await freshDatabase();
    const url = database.url ?? '';
    try {
      const first = await start(options(url));
      await expect(start(options(url))).rejects.toThrow(/set REDIS_URL to run several instances/);
      await first.stop();
      const second = await start(options(url));
      await second.stop();
    } finally {
      await database.drop();
    }
  });
});
