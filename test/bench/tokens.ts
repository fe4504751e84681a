import { randomBytes } from 'node:crypto';
import { benchGateway } from './gateway-process.js';

/**
 * `npm run bench -- tokens`: what a flood of made-up client credentials does to a merchant's token
 * request (security finding 4; with scrypt for every request a legitimate token took 2.9 s). The
 * flood comes from ever new addresses, as a botnet's would, so the per-address brake does not
 * help: only the cost of each refused request counts.
 */
export async function benchTokens(options: { concurrency: number; seconds: number }): Promise<void> {
  const bench = await benchGateway({ TRUST_PROXY: '1' });
  const { url } = bench;
  try {
    const merchant = await bench.newMerchant('Token Bench Shop');
    const token = (clientId: string, clientSecret: string, from: string) =>
      fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': from },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
        }),
      }).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      });
    const randomAddress = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 256)).join('.')}`;

    const anonymous = () =>
      token(`cli_${randomBytes(9).toString('base64url')}`, randomBytes(32).toString('base64url'), randomAddress());
    const merchantToken = async () => {
      const started = performance.now();
      const status = await token(merchant.clientId, merchant.clientSecret, '192.0.2.1');
      if (status !== 200) throw new Error(`the merchant's token request answered ${status}`);
      return performance.now() - started;
    };
    const at = (sorted: number[], p: number) =>
      (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(1);

    // Bursts: 100 made-up requests at once with the merchant's among them (the measure).
    const inBursts: number[] = [];
    for (let round = 0; round < 20; round++) {
      const [took] = await Promise.all([merchantToken(), ...Array.from({ length: 100 }, anonymous)]);
      inBursts.push(took);
    }
    inBursts.sort((a, b) => a - b);
    console.log(
      `token bursts: 20 × (100 made-up requests from new addresses + the merchant's at once): the merchant's ` +
        `token p50 ${at(inBursts, 50)} ms, max ${at(inBursts, 100)} ms`,
    );

    // A sustained flood: `concurrency` made-up clients without pause, the merchant every 100 ms.
    const until = performance.now() + options.seconds * 1000;
    let refused = 0;
    const flood = Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < until) {
        await anonymous();
        refused += 1;
      }
    });
    const legit: number[] = [];
    const measured = (async () => {
      while (performance.now() < until) {
        legit.push(await merchantToken());
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await Promise.all([...flood, measured]);
    legit.sort((a, b) => a - b);
    console.log(
      `token flood: ${options.concurrency} concurrent made-up clients from new addresses for ${options.seconds} s: ` +
        `${(refused / options.seconds).toFixed(0)} refused/s; the merchant's ${legit.length} token requests: ` +
        `p50 ${at(legit, 50)} ms, p99 ${at(legit, 99)} ms, max ${at(legit, 100)} ms`,
    );
  } finally {
    await bench.stop();
  }
}
