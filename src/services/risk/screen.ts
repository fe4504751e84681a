import type { RiskRules } from '../../../config/schema.js';
import {
  assessPayment,
  carrierQuestions,
  rulesThatMayFire,
  type PaymentConditions,
  type RedemptionConditions,
  type RiskAssessment,
} from '../../domain/risk.js';
import type { PurchaseHistory } from '../../ports/store/payments.js';
import type { RoutedCarrier } from '../carriers/directory.js';
import type { Context, MerchantPrincipal } from '../context.js';
import { askCarrier } from './carrier-answers.js';
import { rulesInForce } from './rule-book.js';

/** A payment's screening, ready but for the purchase history, which is read under the number's lock. */
export interface Screening {
  assess(history: PurchaseHistory): RiskAssessment;
}

/**
 * Gathers what the rules need of a new payment before its transaction: the rules in force that
 * could fire for it, and the carrier's answers for the questions they ask. Undefined when none
 * could: the payment is then not screened, and its decision not recorded.
 */
export async function screeningFor(
  ctx: Context,
  merchant: Pick<MerchantPrincipal, 'category'>,
  carrier: RoutedCarrier,
  phoneNumber: string,
  amountMinor: bigint,
): Promise<Screening | undefined> {
  const payment = { category: merchant.category, amountMinor };
  const rules = rulesThatMayFire((await rulesInForce(ctx)).rules.payments, payment);
  if (rules.length === 0) return undefined;
  const answers = await askCarrier(ctx, carrier.signals, phoneNumber, carrierQuestions(rules));
  return { assess: (history) => assessPayment(rules, { ...payment, ...history, ...answers }) };
}

/**
 * The configuration's schema may know no condition the engine does not: such a condition would be
 * accepted and ignored, and its rule would fire on everything. Drift fails to compile here.
 */
type UnknownToEngine<Schema, Engine> = Exclude<keyof Schema, keyof Engine>;
type ConditionsAgree = [
  UnknownToEngine<RiskRules['payments'][number]['when'], PaymentConditions>,
  UnknownToEngine<RiskRules['redemptions'][number]['when'], RedemptionConditions>,
] extends [never, never]
  ? true
  : never;
export const schemaConditionsAreTheEngines: ConditionsAgree = true;
