import type { CarrierConfig } from '../config/schema.js';
import type { CarrierAdapter } from '../src/ports/carrier.js';
import { createOneapiAdapter } from './oneapi/client.js';
import { createParlayxAdapter } from './parlayx/client.js';

/** The adapter for a configured carrier, by protocol, with its credentials read from the environment. */
export async function createCarrierAdapter(
  carrier: CarrierConfig,
  env: Record<string, string | undefined>,
): Promise<CarrierAdapter> {
  const credentials = {
    username: carrier.credentials.usernameEnv ? env[carrier.credentials.usernameEnv] : undefined,
    password: carrier.credentials.passwordEnv ? env[carrier.credentials.passwordEnv] : undefined,
  };
  switch (carrier.protocol) {
    case 'parlayx':
      return createParlayxAdapter(carrier, credentials);
    case 'oneapi':
      return createOneapiAdapter(carrier, credentials);
  }
}
