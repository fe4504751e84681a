import { createReadStream } from 'node:fs';
import { userInfo } from 'node:os';
import { loadConfig } from '../../config/load.js';
import { embeddedOwner, openContext } from '../context-factory.js';
import { createLogger } from '../logging.js';
import type { OperatorPrincipal } from '../services/context.js';
import { parseInput } from '../services/input.js';
import {
  createOperator,
  deleteOperator,
  listOperators,
  newOperatorSchema,
} from '../services/access/operator-accounts.js';
import {
  disableMerchant,
  enableMerchant,
  merchantChangeSchema,
  revokeMerchantTokens,
  rotateMerchantSecret,
  rotationSchema,
  updateMerchant,
} from '../services/operators/merchant-lifecycle.js';
import {
  allMerchants,
  createMerchant,
  newMerchantSchema,
  type MerchantView,
  type NewMerchantInput,
  type OnboardedMerchant,
} from '../services/operators/merchants.js';
import { grantView, listGrants, revokeGrantAsOperator } from '../services/access/grant-tokens.js';
import { consentsForOperator, operatorConsentView, revokeConsentAsOperator } from '../services/consents/operator.js';
import {
  cancelSubscriptionAsOperator,
  operatorSubscriptionView,
  subscriptionsForOperator,
} from '../services/subscriptions/operator.js';
import { reconcileStatement } from '../services/reconciliation/reconcile-statement.js';
import { runReport, type RunReport } from '../services/reconciliation/report.js';

export interface OperatorView {
  operatorId: string;
  name: string;
  role: string;
  createdAt: string;
  token?: string;
}

/** What the CLI can do, whether it reaches the database directly or through a running gateway. */
export interface Operations {
  createMerchant(input: NewMerchantInput): Promise<OnboardedMerchant>;
  listMerchants(): Promise<MerchantView[]>;
  updateMerchant(merchantId: string, change: unknown): Promise<MerchantView>;
  disableMerchant(merchantId: string): Promise<MerchantView>;
  enableMerchant(merchantId: string): Promise<MerchantView>;
  rotateSecret(merchantId: string, options: unknown): Promise<{ clientSecret: string; previousValidUntil: string }>;
  revokeTokens(merchantId: string): Promise<{ revoked: number }>;
  createOperator(input: unknown): Promise<OperatorView>;
  listOperators(): Promise<OperatorView[]>;
  deleteOperator(operatorId: string): Promise<void>;
  listGrants(filter: { phoneNumber?: string; merchantId?: string }): Promise<GrantView[]>;
  revokeGrant(grantId: string): Promise<GrantView>;
  listConsents(filter: { phoneNumber?: string; merchantId?: string }): Promise<OperatorConsentView[]>;
  revokeConsent(consentId: string): Promise<OperatorConsentView>;
  listSubscriptions(filter: { phoneNumber?: string; merchantId?: string }): Promise<OperatorSubscriptionView[]>;
  cancelSubscription(subscriptionId: string): Promise<OperatorSubscriptionView>;
  reconcile(carrierId: string, period: string, file: string, format?: string): Promise<RunReport>;
  close(): Promise<void>;
}

export type GrantView = ReturnType<typeof grantView>;
export type OperatorConsentView = ReturnType<typeof operatorConsentView>;
export type OperatorSubscriptionView = ReturnType<typeof operatorSubscriptionView>;

/** The CLI on the database's own credentials acts as the machine's user, and the audit trail says so. */
function atTheMachine(): OperatorPrincipal {
  const user = userInfo().username;
  return { id: `cli:${user}`, name: `command line (${user})`, role: 'admin' };
}

/**
 * The database directly (a DATABASE_URL, or the embedded one when no gateway holds it), or, while
 * a demo gateway holds the embedded database, that gateway's operator API.
 */
export async function operations(): Promise<Operations> {
  const config = loadConfig();
  const owner = await embeddedOwner(config);
  if (owner) return throughTheApi(owner.url, owner.operatorToken);
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const simulatorUrl = process.env.SIMULATOR_URL ?? `http://127.0.0.1:${config.simulator.port}`;
  const { context, close } = await openContext(config, process.env, { log, simulatorUrl, soleInstance: false });
  const me = atTheMachine();
  // Checked as the operator API checks it (with the gateway running, the API does).
  return {
    createMerchant: (input) => createMerchant(context, me, parseInput(newMerchantSchema, input)),
    listMerchants: () => allMerchants(context),
    updateMerchant: (id, change) => updateMerchant(context, me, id, parseInput(merchantChangeSchema, change)),
    disableMerchant: (id) => disableMerchant(context, me, id),
    enableMerchant: (id) => enableMerchant(context, me, id),
    rotateSecret: (id, options) => rotateMerchantSecret(context, me, id, parseInput(rotationSchema, options)),
    revokeTokens: (id) => revokeMerchantTokens(context, me, id),
    createOperator: (input) => createOperator(context, me, parseInput(newOperatorSchema, input)),
    listOperators: () => listOperators(context),
    deleteOperator: (id) => deleteOperator(context, me, id),
    listGrants: (filter) => listGrants(context, filter),
    revokeGrant: (id) => revokeGrantAsOperator(context, me, id),
    listConsents: (filter) => consentsForOperator(context, filter),
    revokeConsent: (id) => revokeConsentAsOperator(context, me, id),
    listSubscriptions: (filter) => subscriptionsForOperator(context, filter),
    cancelSubscription: (id) => cancelSubscriptionAsOperator(context, me, id),
    reconcile: async (carrierId, period, file, format) =>
      runReport(context, await reconcileStatement(context, carrierId, period, createReadStream(file), format)),
    close,
  };
}

/** A number and a merchant as the operator API's query. */
const byWhom = ({ phoneNumber, merchantId }: { phoneNumber?: string; merchantId?: string }) =>
  new URLSearchParams({ ...(phoneNumber ? { phoneNumber } : {}), ...(merchantId ? { merchantId } : {}) }).toString();

function throughTheApi(url: string, operatorToken: string): Operations {
  const call = async <T>(method: string, path: string, body?: BodyInit, type = 'application/json'): Promise<T> => {
    const response = await fetch(`${url}/admin/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${operatorToken}`, 'content-type': type },
      body,
      duplex: 'half',
    } as RequestInit);
    if (response.status === 204) return undefined as T;
    const json = (await response.json()) as T & { code?: string; message?: string };
    if (!response.ok) throw new Error(`${json.code ?? response.status}: ${json.message ?? ''}`);
    return json;
  };
  const merchant = (id: string, action = '') => `/merchants/${encodeURIComponent(id)}${action}`;
  return {
    createMerchant: (input) => call('POST', '/merchants', JSON.stringify(input)),
    listMerchants: () => call('GET', '/merchants'),
    updateMerchant: (id, change) => call('PATCH', merchant(id), JSON.stringify(change)),
    disableMerchant: (id) => call('POST', merchant(id, '/disable')),
    enableMerchant: (id) => call('POST', merchant(id, '/enable')),
    rotateSecret: (id, options) => call('POST', merchant(id, '/rotate-secret'), JSON.stringify(options)),
    revokeTokens: (id) => call('POST', merchant(id, '/revoke-tokens')),
    createOperator: (input) => call('POST', '/operators', JSON.stringify(input)),
    listOperators: () => call('GET', '/operators'),
    deleteOperator: (id) => call('DELETE', `/operators/${encodeURIComponent(id)}`),
    listGrants: (filter) => call('GET', `/grants?${byWhom(filter)}`),
    revokeGrant: (id) => call('POST', `/grants/${encodeURIComponent(id)}/revoke`),
    listConsents: (filter) => call('GET', `/consents?${byWhom(filter)}`),
    revokeConsent: (id) => call('POST', `/consents/${encodeURIComponent(id)}/revoke`),
    listSubscriptions: (filter) => call('GET', `/subscriptions?${byWhom(filter)}`),
    cancelSubscription: (id) => call('POST', `/subscriptions/${encodeURIComponent(id)}/cancel`),
    reconcile: (carrierId, period, file, format) =>
      call(
        'POST',
        `/reconciliations?${new URLSearchParams({ carrierId, period, ...(format ? { format } : {}) })}`,
        createReadStream(file) as unknown as BodyInit,
        'text/csv',
      ),
    close: async () => undefined,
  };
}
