import { request } from 'node:http';
import { appendFileSync } from 'node:fs';
import { contractViolation } from './contract.js';
import type { TestGateway } from './gateway.js';

/** Where a gateway under test answers: in this process or another. */
export type GatewayAddress = Pick<TestGateway, 'url' | 'simulatorUrl' | 'operatorToken'>;

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** The fields tests read from the gateway's JSON replies (payments, errors, merchants, certificates). */
export interface Body {
  status?: number;
  code?: string;
  message?: string;
  error?: string;
  paymentId?: string;
  paymentStatus?: string;
  paymentCreationDate?: string;
  paymentDate?: string;
  validationInfo?: { action: string; authorizationId?: string };
  amountTransaction?: {
    phoneNumber: string;
    clientCorrelator?: string;
    referenceCode: string;
    paymentAmount: { chargingInformation: { amount: number; currency: string } };
  };
  merchantId?: string;
  clientId?: string;
  clientSecret?: string;
  access_token?: string;
  scope?: string;
  codesSent?: number;
  codesLeft?: number;
  timeline?: Array<{ event: string; actor: string; toStatus: string | null; smsText?: string }>;
  operations?: Array<{ operation: string; outcome: string }>;
  payments?: Body[];
  total?: number;
  [key: string]: unknown;
}

export interface Certificate {
  certificateId: string;
  paymentId: string;
  code: string;
  faceValue: { amount: number; currency: string };
  balance: { amount: number; currency: string };
  status: string;
  issuedAt: string;
  expiresAt: string;
}

/** A small HTTP client: JSON in, JSON (or nothing) out. */
export async function http<T = Body>(
  method: string,
  url: string,
  options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  const violation = await contractViolation(method, url, response.status, parsed);
  if (violation) {
    if (process.env.CONTRACT_REPORT) appendFileSync(process.env.CONTRACT_REPORT, `${violation}\n`);
    else throw new Error(`the answer breaks the API document: ${violation}`);
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

export interface Merchant {
  merchantId: string;
  clientId: string;
  clientSecret: string;
  token: string;
}

/** Onboards a merchant through the operator API and gets it a token through OAuth. */
export async function newMerchant(
  gw: GatewayAddress,
  options: { name?: string; oneStepPayments?: boolean; scopes?: string[]; validationMode?: 'validate' | 'open' } = {},
): Promise<Merchant> {
  const created = await http('POST', `${gw.url}/admin/v1/merchants`, {
    token: gw.operatorToken,
    body: { name: options.name ?? 'Test Shop', ...options },
  });
  if (created.status !== 201)
    throw new Error(`merchant not created: ${created.status} ${JSON.stringify(created.body)}`);
  const { merchantId = '', clientId = '', clientSecret = '' } = created.body;
  return { merchantId, clientId, clientSecret, token: await tokenFor(gw, clientId, clientSecret) };
}

export async function tokenFor(
  gw: GatewayAddress,
  clientId: string,
  clientSecret: string,
  scope?: string,
): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
  const response = await fetch(`${gw.url}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: form,
  });
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

let counter = 0;
/** A unique Korean mobile number on a carrier (`1` alpha, `2` bravo), ending in `suffix` when given. */
export function phoneNumber(carrierDigit: 1 | 2 | 3 = 1, suffix?: string): string {
  counter += 1;
  const tail = suffix ?? String(1000 + ((process.pid * 7 + counter) % 8000)).padStart(4, '0');
  const middle = String((Date.now() + counter * 37 + process.pid) % 1000).padStart(3, '0');
  return `+8210${carrierDigit}${middle}${tail}`;
}

export function prepareBody(
  phone: string,
  options: { amount?: number; correlator?: string; reference?: string; description?: string; currency?: string } = {},
) {
  counter += 1;
  return {
    amountTransaction: {
      phoneNumber: phone,
      clientCorrelator: options.correlator ?? `corr-${process.pid}-${Date.now()}-${counter}`,
      referenceCode: options.reference ?? `ref-${process.pid}-${Date.now()}-${counter}`,
      paymentAmount: {
        chargingInformation: {
          amount: options.amount ?? 1500,
          currency: options.currency ?? 'KRW',
          description: options.description ?? 'Gift card',
        },
      },
    },
  };
}

export interface Sms {
  messageId: string;
  to: string;
  from: string;
  text: string;
  sentAt: string;
}

export async function inbox(gw: GatewayAddress, phone: string): Promise<Sms[]> {
  return (await http<Sms[]>('GET', `${gw.simulatorUrl}/simulator/v1/sms?to=${encodeURIComponent(phone)}`)).body;
}

/** The code of the latest consent SMS sent to a phone. */
export async function latestCode(gw: GatewayAddress, phone: string): Promise<string> {
  const messages = await inbox(gw, phone);
  const code = /Code: (\d{6})/.exec(messages.at(-1)?.text ?? '')?.[1];
  if (!code) throw new Error(`no code in the inbox of ${phone}`);
  return code;
}

export interface LedgerView {
  entries: Array<{ type: string; referenceCode: string; msisdn: string; amount: number; currency: string }>;
  openReservations: string[];
}

export async function ledger(gw: GatewayAddress, carrierId: string, phone: string): Promise<LedgerView> {
  return (
    await http<LedgerView>(
      'GET',
      `${gw.simulatorUrl}/simulator/v1/carriers/${carrierId}/ledger?msisdn=${encodeURIComponent(phone)}`,
    )
  ).body;
}

export const api = (gw: GatewayAddress) => `${gw.url}/carrier-billing/v0.5`;

/**
 * A prepare sent with a Host header (and forwarded host and scheme) of the caller's choosing, as
 * an attacker would: fetch will not send one, node:http does.
 */
export async function prepareWithHost(gw: GatewayAddress, token: string, host: string): Promise<Body> {
  return new Promise<Body>((resolve, reject) => {
    const req = request(`${api(gw)}/payments/prepare`, {
      method: 'POST',
      headers: {
        host,
        'x-forwarded-host': host,
        'x-forwarded-proto': 'http',
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve(JSON.parse(text) as Body));
    });
    req.on('error', reject);
    req.end(JSON.stringify(prepareBody(phoneNumber(1))));
  });
}
