export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks `probe` until `done` says yes or `ms` have passed, and returns the last answer (asserted by the caller). */
export async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let value = await probe();
  while (!done(value) && Date.now() < end) {
    await sleep(100);
    value = await probe();
  }
  return value;
}
