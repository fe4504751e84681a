import { parseArgs } from 'node:util';
import type { NewMerchantInput } from '../services/operators/merchants.js';
import { ConfigError } from '../../config/load.js';
import type { RunReport } from '../services/reconciliation/report.js';
import {
  operations,
  type GrantView,
  type OperatorConsentView,
  type OperatorSubscriptionView,
  type Operations,
} from './operations.js';

const USAGE = `usage: npm run cli -- <command>
  merchants create --name NAME [--one-step] [--validation-mode validate|open] [--category C] [--scopes a,b] [--daily-cap MINOR] [--json]
  merchants list [--json]
  merchants update MERCHANT_ID [--name NAME] [--scopes a,b] [--validation-mode validate|open] [--category C] [--daily-cap MINOR|none]
                   [--requests-per-second N|default] [--reads-per-second N|default]
                   [--writes-per-second N|default] [--codes-per-minute N|default] [--max-payment MINOR|default] [--json]
  merchants disable|enable|revoke-tokens MERCHANT_ID [--json]
  merchants rotate-secret MERCHANT_ID [--grace-seconds N] [--revoke-tokens] [--json]
  operators create --name NAME --role viewer|admin [--json]
  operators list [--json]
  operators delete OPERATOR_ID
  grants list [--phone NUMBER] [--merchant MERCHANT_ID] [--json]
  grants revoke GRANT_ID [--json]
  consents list [--phone NUMBER] [--merchant MERCHANT_ID] [--json]
  consents revoke CONSENT_ID [--json]
  subscriptions list [--phone NUMBER] [--merchant MERCHANT_ID] [--json]
  subscriptions cancel SUBSCRIPTION_ID [--json]
  reconcile --carrier ID --period YYYY-MM --file STATEMENT [--format csv|header-trailer] [--json]`;

class UsageError extends Error {}

function summary(report: RunReport): string {
  const counts = Object.entries(report.counts)
    .map(([k, n]) => `  ${k.padEnd(22)} ${n}`)
    .join('\n');
  const totals = Object.entries(report.totals)
    .map(([k, v]) => `  ${k.padEnd(22)} ${v} ${report.currency}`)
    .join('\n');
  return `reconciliation ${report.runId}: ${report.carrierId} ${report.period} (statement ${report.statementId})\n${counts}\n${totals}`;
}

const OPTIONS = {
  name: { type: 'string' },
  role: { type: 'string' },
  'one-step': { type: 'boolean', default: false },
  'validation-mode': { type: 'string' },
  category: { type: 'string' },
  scopes: { type: 'string' },
  'daily-cap': { type: 'string' },
  'requests-per-second': { type: 'string' },
  'reads-per-second': { type: 'string' },
  'writes-per-second': { type: 'string' },
  'codes-per-minute': { type: 'string' },
  'max-payment': { type: 'string' },
  'grace-seconds': { type: 'string' },
  'revoke-tokens': { type: 'boolean', default: false },
  carrier: { type: 'string' },
  period: { type: 'string' },
  file: { type: 'string' },
  format: { type: 'string' },
  json: { type: 'boolean', default: false },
  phone: { type: 'string' },
  merchant: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** A whole number as given, or null for the word that returns a setting to its default. */
function numberOrNull(value: string | undefined, none: string): number | null | undefined {
  if (value === undefined) return undefined;
  return value === none ? null : Number(value);
}

function merchantLine(m: { merchantId: string; clientId: string; name: string; disabled: boolean }): string {
  return `${m.merchantId}  ${m.clientId}  ${m.name}${m.disabled ? '  (disabled)' : ''}`;
}

function grantLine(g: GrantView): string {
  const state = g.revokedAt ? `revoked ${g.revokedAt} by ${g.revokedBy ?? ''}` : 'active';
  return `${g.grantId}  ${g.merchantId}  ${g.phoneNumber}  ${g.scopes.join(' ')}  ${state}`;
}

function consentLine(c: OperatorConsentView): string {
  const cap = `${c.maxAmountPerCharge.amount} ${c.maxAmountPerCharge.currency}`;
  return `${c.consentId}  ${c.merchantId}  ${c.phoneNumber}  ${c.description}  up to ${cap}  ${c.status}`;
}

function subscriptionLine(s: OperatorSubscriptionView): string {
  const amount = `${s.amount.amount} ${s.amount.currency} ${s.period === 'P1M' ? 'a month' : 'a week'}`;
  return `${s.subscriptionId}  ${s.merchantId}  ${s.phoneNumber}  ${s.description}  ${amount}  ${s.status}`;
}

/** Each command: what it needs of the operations, and what it prints without --json. */
const COMMANDS: Record<string, (ops: Operations, v: Values, id: string) => Promise<[unknown, string]>> = {
  'merchants create': async (ops, v) => {
    if (!v.name) throw new UsageError('merchants create needs --name');
    const m = await ops.createMerchant({
      name: v.name,
      oneStepPayments: v['one-step'],
      validationMode: v['validation-mode'] as 'validate' | 'open' | undefined,
      category: v.category as NewMerchantInput['category'],
      scopes: v.scopes?.split(','),
      dailyCapMinor: v['daily-cap'] === undefined ? undefined : Number(v['daily-cap']),
    });
    return [
      m,
      `merchant ${m.merchantId} "${m.name}"\n  client id     ${m.clientId}\n  client secret ${m.clientSecret} (shown once)`,
    ];
  },
  'merchants list': async (ops) => {
    const merchants = await ops.listMerchants();
    return [merchants, merchants.map(merchantLine).join('\n')];
  },
  'merchants update': async (ops, v, id) => {
    const limits = {
      requestsPerSecond: numberOrNull(v['requests-per-second'], 'default'),
      readsPerSecond: numberOrNull(v['reads-per-second'], 'default'),
      writesPerSecond: numberOrNull(v['writes-per-second'], 'default'),
      codesPerMinute: numberOrNull(v['codes-per-minute'], 'default'),
      maxPaymentMinor: numberOrNull(v['max-payment'], 'default'),
    };
    const m = await ops.updateMerchant(id, {
      name: v.name,
      scopes: v.scopes?.split(','),
      validationMode: v['validation-mode'],
      category: v.category,
      dailyCapMinor: numberOrNull(v['daily-cap'], 'none'),
      ...(Object.values(limits).some((l) => l !== undefined) ? { limits } : {}),
    });
    return [m, `${merchantLine(m)}\n  limits ${JSON.stringify(m.limits)}`];
  },
  'merchants disable': async (ops, _v, id) => {
    const m = await ops.disableMerchant(id);
    return [m, merchantLine(m)];
  },
  'merchants enable': async (ops, _v, id) => {
    const m = await ops.enableMerchant(id);
    return [m, merchantLine(m)];
  },
  'merchants rotate-secret': async (ops, v, id) => {
    const graceSeconds = v['grace-seconds'] === undefined ? undefined : Number(v['grace-seconds']);
    const rotated = await ops.rotateSecret(id, { graceSeconds, revokeTokens: v['revoke-tokens'] });
    return [
      rotated,
      `client secret ${rotated.clientSecret} (shown once)\n  the old one works until ${rotated.previousValidUntil}`,
    ];
  },
  'merchants revoke-tokens': async (ops, _v, id) => {
    const revoked = await ops.revokeTokens(id);
    return [revoked, `${revoked.revoked} tokens revoked`];
  },
  'operators create': async (ops, v) => {
    const o = await ops.createOperator({ name: v.name, role: v.role });
    return [o, `operator ${o.operatorId} "${o.name}" (${o.role})\n  token ${o.token ?? ''} (shown once)`];
  },
  'operators list': async (ops) => {
    const all = await ops.listOperators();
    return [all, all.map((o) => `${o.operatorId}  ${o.role.padEnd(6)}  ${o.name}`).join('\n')];
  },
  'operators delete': async (ops, _v, id) => {
    await ops.deleteOperator(id);
    return [{ deleted: id }, `operator ${id} deleted`];
  },
  'grants list': async (ops, v) => {
    const grants = await ops.listGrants({ phoneNumber: v.phone, merchantId: v.merchant });
    return [grants, grants.map(grantLine).join('\n')];
  },
  'grants revoke': async (ops, _v, id) => {
    const grant = await ops.revokeGrant(id);
    return [grant, grantLine(grant)];
  },
  'consents list': async (ops, v) => {
    const consents = await ops.listConsents({ phoneNumber: v.phone, merchantId: v.merchant });
    return [consents, consents.map(consentLine).join('\n')];
  },
  'consents revoke': async (ops, _v, id) => {
    const consent = await ops.revokeConsent(id);
    return [consent, consentLine(consent)];
  },
  'subscriptions list': async (ops, v) => {
    const subscriptions = await ops.listSubscriptions({ phoneNumber: v.phone, merchantId: v.merchant });
    return [subscriptions, subscriptions.map(subscriptionLine).join('\n')];
  },
  'subscriptions cancel': async (ops, _v, id) => {
    const subscription = await ops.cancelSubscription(id);
    return [subscription, subscriptionLine(subscription)];
  },
  reconcile: async (ops, v) => {
    if (!v.carrier || !v.period || !v.file) throw new UsageError('reconcile needs --carrier, --period and --file');
    const report = await ops.reconcile(v.carrier, v.period, v.file, v.format);
    return [report, summary(report)];
  },
};

/** Commands that name a merchant, an operator or a grant after the verb. */
const TAKES_AN_ID =
  /^(merchants (update|disable|enable|rotate-secret|revoke-tokens)|operators delete|grants revoke|consents revoke|subscriptions cancel)$/;

async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  const [noun = '', verb = '', id = '', ...rest] = positionals;
  const command = noun === 'reconcile' ? noun : `${noun} ${verb}`;
  const act = COMMANDS[command];
  const wantsId = TAKES_AN_ID.test(command);
  if (!act || (wantsId && !id) || (!wantsId && (noun === 'reconcile' ? verb || id : id)) || rest.length > 0)
    throw new UsageError(USAGE);
  const mode = values['validation-mode'];
  if (mode !== undefined && mode !== 'validate' && mode !== 'open')
    throw new UsageError('--validation-mode must be validate or open');

  const ops = await operations();
  try {
    const [result, text] = await act(ops, values, id);
    console.log(values.json ? JSON.stringify(result, null, 2) : text);
  } finally {
    await ops.close();
  }
}

await run(process.argv.slice(2)).catch((error: unknown) => {
  console.error(
    error instanceof UsageError || error instanceof ConfigError ? error.message : `error: ${(error as Error).message}`,
  );
  process.exit(error instanceof UsageError ? 2 : 1);
});
