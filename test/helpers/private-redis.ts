import { spawn, type ChildProcess } from 'node:child_process';
import { freePort, kill } from './processes.js';

/** A Redis server of the test's own (never the machine's shared one), which the test may stop and start. */
export async function startPrivateRedis() {
  const port = await freePort();
  let server: ChildProcess | undefined;
  const start = async () => {
    server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    server.stderr?.resume();
    await new Promise<void>((resolve, reject) => {
      let out = '';
      server?.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ready to accept connections')) resolve();
      });
      server?.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
    });
    server.stdout?.resume();
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    /** Stops the server at once (SIGKILL: no goodbye to its clients). */
    crash: () => kill(server, 'SIGKILL'),
    stop: () => kill(server, 'SIGKILL'),
  };
}
