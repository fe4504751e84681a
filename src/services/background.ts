import { within } from './within.js';

/**
 * Work that goes on after the request that started it was answered (CAMARA's asynchronous
 * behaviour). Its failure is logged, never thrown: what it settles was recorded before it started,
 * so recovery finishes it should it fail. At shutdown the gateway waits for it (`settle`) before
 * closing the pools and carriers it uses.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly log: { error(details: object, message: string): void }) {}

  run(work: Promise<unknown>, about: Record<string, string>): void {
    const tracked = work
      .catch((error: unknown) =>
        this.log.error({ ...about, err: error }, 'background work failed; recovery finishes it'),
      )
      .finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  /** Waits for the work in progress, for at most `ms`; whether it all finished. */
  settle(ms: number): Promise<boolean> {
    return within(ms, Promise.all(this.running));
  }
}
