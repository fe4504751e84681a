import { startSimulator } from './server.js';

/** `npm run simulator`: the simulated carriers alone, standing in for a remote network. */
const port = Number(process.env.SIMULATOR_PORT ?? 8090);
const lapse = process.env.SIMULATOR_RESERVATION_LAPSE_SECONDS;
if (lapse !== undefined && !/^[1-9]\d*$/.test(lapse)) {
  console.error('SIMULATOR_RESERVATION_LAPSE_SECONDS must be a whole number of seconds');
  process.exit(1);
}
const { SIMULATOR_GATEWAY_URL: gatewayUrl, SIMULATOR_INBOUND_SECRET: secret } = process.env;
const simulator = await startSimulator(port, process.env.SIMULATOR_HOST ?? '127.0.0.1', {
  reservationLapseSeconds: lapse ? Number(lapse) : undefined,
  // Subscribers' replies go to the gateway at SIMULATOR_GATEWAY_URL, with the secret it expects.
  ...(gatewayUrl && secret ? { replies: { gatewayUrl, secret } } : {}),
});
console.log(`simulated carriers listening on ${simulator.url} (GET ${simulator.url}/simulator/v1/carriers)`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void simulator.stop().then(() => process.exit(0)));
}
