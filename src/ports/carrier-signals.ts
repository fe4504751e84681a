/**
 * What a carrier can tell of a line that no payment shows (CONTRACTS §8): a recent SIM swap and the
 * line's age, in the shape of CAMARA's SIM Swap and KYC Tenure APIs. `undefined` when the carrier
 * could not say in time: a rule needing the answer then does not fire (a payment never waits on,
 * nor fails by, a lookup).
 */
export interface CarrierSignals {
  /** Whether the number's SIM was swapped within the last `hours`. */
  simSwappedWithin(phoneNumber: string, hours: number): Promise<boolean | undefined>;
  /** Whether the line is younger than `days` days on `today`. */
  lineYoungerThan(phoneNumber: string, days: number, today: Date): Promise<boolean | undefined>;
}
