import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, kill } from './processes.js';
import { sleep } from './wait.js';

const run = promisify(execFile);
const MASTER_NAME = 'cbg';

/**
 * Redis under Sentinel, all the test's own: a primary, a replica and three sentinels (quorum 2,
 * a primary is down after 1 s without an answer), each a `redis-server` on a free port.
 */
export async function startRedisSentinel() {
  const dir = await mkdtemp(join(tmpdir(), 'cbg-sentinel-'));
  const servers: ChildProcess[] = [];
  const started = async (args: string[]) => {
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    servers.push(child);
    child.stderr?.resume();
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/Ready to accept connections|Sentinel ID is/.test(out)) resolve();
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${String(code)}: ${out.slice(-500)}`)));
    });
    child.stdout?.resume();
    return child;
  };
  // Its own folder: a replica's first sync writes a data file into the working folder otherwise.
  const plain = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  const [primaryPort, replicaPort] = await Promise.all([freePort(), freePort()]);
  const primary = await started(['--port', String(primaryPort), ...plain]);
  await started(['--port', String(replicaPort), ...plain, '--replicaof', '127.0.0.1', String(primaryPort)]);
  const sentinelPorts = await Promise.all([freePort(), freePort(), freePort()]);
  for (const port of sentinelPorts) {
    const file = join(dir, `sentinel-${String(port)}.conf`);
    await writeFile(
      file,
      [
        `port ${String(port)}`,
        'bind 127.0.0.1',
        `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${String(primaryPort)} 2`,
        `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
        `sentinel failover-timeout ${MASTER_NAME} 3000`,
        '',
      ].join('\n'),
    );
    await started([file, '--sentinel']);
  }
  const ask = async (port: number, ...args: string[]) =>
    (await run('redis-cli', ['-p', String(port), ...args])).stdout.trim();
  /** The primary's port as the first sentinel names it. */
  const primaryNow = async () =>
    Number((await ask(sentinelPorts[0] ?? 0, 'sentinel', 'get-master-addr-by-name', MASTER_NAME)).split('\n')[1]);
  // Ready when every sentinel sees the replica and the others.
  for (let i = 0; i < 100; i++) {
    const views = await Promise.all(
      sentinelPorts.map((p) => ask(p, 'sentinel', 'master', MASTER_NAME).catch(() => '')),
    );
    if (views.every((v) => /num-slaves\n1\b/.test(v) && /num-other-sentinels\n2\b/.test(v))) break;
    await sleep(200);
  }
  return {
    env: {
      REDIS_SENTINELS: sentinelPorts.map((p) => `127.0.0.1:${String(p)}`).join(','),
      REDIS_MASTER_NAME: MASTER_NAME,
    },
    primaryPort: primaryNow,
    /** Kills the primary (SIGKILL); the sentinels promote the replica. */
    crashPrimary: () => kill(primary, 'SIGKILL'),
    async stop() {
      for (const server of servers) await kill(server, 'SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
