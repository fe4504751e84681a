import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The embedded database lives inside one process. That process records itself in the data
 * directory, so the CLI can go through its operator API instead of opening the files twice.
 */
export interface EmbeddedOwner {
  pid: number;
  url: string;
  operatorToken: string;
}

const FILE = 'gateway.json';

export async function recordOwner(dataDir: string, owner: EmbeddedOwner): Promise<() => Promise<void>> {
  const path = join(dataDir, FILE);
  await writeFile(path, JSON.stringify(owner), { mode: 0o600 });
  return () => rm(path, { force: true });
}

/** The live process that owns the data directory, if any. */
export async function liveOwner(dataDir: string): Promise<EmbeddedOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(join(dataDir, FILE), 'utf8')) as EmbeddedOwner;
    process.kill(owner.pid, 0);
    return owner;
  } catch {
    return undefined;
  }
}
