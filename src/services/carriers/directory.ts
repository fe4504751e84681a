import type { CarrierConfig } from '../../../config/schema.js';
import type { CircuitBreaker } from '../../domain/circuit-breaker.js';
import type { CarrierAdapter } from '../../ports/carrier.js';
import type { CarrierSignals } from '../../ports/carrier-signals.js';
import type { NumberPortability } from '../../ports/number-portability.js';
import type { CallStats } from './call-stats.js';

export interface RoutedCarrier {
  readonly config: CarrierConfig;
  /** The protocol adapter, already feeding `breaker`. */
  readonly adapter: CarrierAdapter;
  readonly breaker: CircuitBreaker;
  /** This instance's recent calls to the carrier. */
  readonly stats: CallStats;
  /** SIM swap and line tenure answers, for carriers that offer them (the risk rules ask). */
  readonly signals?: CarrierSignals;
  /** What the carrier presents when it delivers a phone user's SMS (none: its deliveries are refused). */
  readonly inboundSecret?: string;
}

/** The configured carriers and which one serves a number. */
export class CarrierDirectory {
  private readonly byPrefix: Array<[string, RoutedCarrier]>;
  private readonly byId: Map<string, RoutedCarrier>;

  constructor(
    carriers: readonly RoutedCarrier[],
    private readonly portability: NumberPortability = { lookup: async () => undefined },
  ) {
    this.byId = new Map(carriers.map((c) => [c.config.id, c]));
    this.byPrefix = carriers
      .flatMap((c) => c.config.prefixes.map((p): [string, RoutedCarrier] => [p, c]))
      .sort(([a], [b]) => b.length - a.length);
  }

  /** The carrier serving a number: the portability answer if there is one, else the longest prefix. */
  async route(phoneNumber: string): Promise<RoutedCarrier | undefined> {
    const ported = await this.portability.lookup(phoneNumber);
    if (ported !== undefined) return this.byId.get(ported);
    return this.byPrefix.find(([prefix]) => phoneNumber.startsWith(prefix))?.[1];
  }

  get(carrierId: string): RoutedCarrier | undefined {
    return this.byId.get(carrierId);
  }

  all(): RoutedCarrier[] {
    return [...this.byId.values()];
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((c) => c.adapter.close()));
  }
}
