/**
 * The simulated carrier network: who speaks what, and how each treats a repeated reference.
 * charlie (OneAPI) answers status queries instead of recognising references.
 */
export interface SimulatedCarrier {
  readonly id: string;
  readonly protocol: 'parlayx' | 'oneapi';
  readonly dedupesReferences: boolean;
  readonly monthlyLimitMinor: bigint;
  readonly currency: string;
  /** The numbers it serves (as the demo configuration routes them). */
  readonly prefix: string;
}

export const SIMULATED_CARRIERS: readonly SimulatedCarrier[] = [
  {
    id: 'alpha',
    protocol: 'parlayx',
    dedupesReferences: false,
    monthlyLimitMinor: 1_000_000n,
    currency: 'KRW',
    prefix: '+82101',
  },
  {
    id: 'bravo',
    protocol: 'parlayx',
    dedupesReferences: true,
    monthlyLimitMinor: 1_000_000n,
    currency: 'KRW',
    prefix: '+82102',
  },
  {
    id: 'charlie',
    protocol: 'oneapi',
    dedupesReferences: false,
    monthlyLimitMinor: 1_000_000n,
    currency: 'KRW',
    prefix: '+82103',
  },
];
