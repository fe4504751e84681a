import type { GatewayConfig, MerchantCategory } from '../../config/schema.js';
import { errors } from '../domain/errors.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { Cache } from '../ports/cache.js';
import type { StatementParsers } from '../ports/statement-parser.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store/store.js';
import type { WebhookSender } from '../ports/webhooks.js';
import type { CarrierDirectory } from './carriers/directory.js';
import type { Keys } from './keys.js';
import type { BackgroundWork } from './background.js';

/** Everything a use case may touch, handed in by main.ts. */
export interface Context {
  readonly config: GatewayConfig;
  readonly store: Store;
  readonly cache: Cache;
  readonly clock: Clock;
  readonly keys: Keys;
  readonly carriers: CarrierDirectory;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly statementParsers: StatementParsers;
  readonly webhooks: WebhookSender;
  /** Work that outlives its request (asynchronous completion), waited for at shutdown. */
  readonly background: BackgroundWork;
}

/**
 * Who acts on the operator side: an operator account (its token or a dashboard session), the
 * command line, which runs with the database's own credentials (`cli:<user>`), or the demo's setup
 * (`setup:demo`).
 */
export interface OperatorPrincipal {
  readonly id: string;
  readonly name: string;
  readonly role: 'viewer' | 'admin';
}

/** Changes are for admins: a viewer account reads only (403, whichever door it came through). */
export function requireAdmin(by: OperatorPrincipal): void {
  if (by.role !== 'admin') throw errors.permissionDenied(VIEWER_READS_ONLY);
}

export const VIEWER_READS_ONLY = 'This operator account may read only (role viewer).';

/** How the audit trail names an operator: `operator:<id>`; `cli:<user>` and `setup:demo` as they are. */
export function actorOf(operator: OperatorPrincipal): string {
  return operator.id.includes(':') ? operator.id : `operator:${operator.id}`;
}

/** The merchant on whose behalf a request runs, as the access token identified it. */
export interface MerchantPrincipal {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly string[];
  readonly oneStepPayments: boolean;
  readonly validationMode: 'validate' | 'open';
  /** `async`: createPayment and createRefund answer `processing` at once and finish in the background. */
  readonly completionMode: 'sync' | 'async';
  /** What it sells: a category's purchases share a monthly cap per phone number. */
  readonly category: MerchantCategory;
  /** What the merchant may bill per day, if capped. */
  readonly dailyCapMinor: number | null;
  /** The merchant's own limits over the configured defaults (undefined: the default). */
  readonly limits: MerchantLimits;
  /**
   * A three-legged token's phone user: the number the token identifies (requests must not name
   * one, and see only its payments) and the grant it came from.
   */
  readonly phoneUser?: PhoneUser;
}

export interface PhoneUser {
  readonly phoneNumber: string;
  readonly grantId: string;
}

export interface MerchantLimits {
  /** prepare/create a second. */
  readonly requestsPerSecond?: number;
  /** Any CAMARA read, and any write, a second (request-budget.ts). */
  readonly readsPerSecond?: number;
  readonly writesPerSecond?: number;
  readonly codesPerMinute?: number;
  readonly maxPaymentMinor?: number;
}
