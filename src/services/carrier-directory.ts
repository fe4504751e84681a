import type { CarrierConfig } from '../../config/schema.js';
import type { CircuitBreaker } from '../domain/circuit-breaker.js';
import type { CarrierAdapter } from '../ports/carrier.js';

export interface RoutedCarrier {
  readonly config: CarrierConfig;
  /** The protocol adapter, already feeding `breaker`. */
  readonly adapter: CarrierAdapter;
  readonly breaker: CircuitBreaker;
}

/** The configured carriers and which one serves a number: the longest matching prefix wins. */
export class CarrierDirectory {
  private readonly byPrefix: Array<[string, RoutedCarrier]>;
  private readonly byId: Map<string, RoutedCarrier>;

  constructor(carriers: readonly RoutedCarrier[]) {
    this.byId = new Map(carriers.map((c) => [c.config.id, c]));
    this.byPrefix = carriers.flatMap((c) => c.config.prefixes.map((p): [string, RoutedCarrier] => [p, c])).sort(([a], [b]) => b.length - a.length);
  }

  route(phoneNumber: string): RoutedCarrier | undefined {
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
