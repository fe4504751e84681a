import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { StatementFormatError, isRfc3339, type StatementLine } from '../../src/domain/statement.js';

/**
 * A second, realistic statement format: pipe-separated records with a header, detail lines in
 * minor units, and a trailer carrying control totals that must match what was read.
 *
 *   HDR|<statement id>|<carrier id>|<YYYY-MM>|<currency>
 *   DTL|<C|R|B|A>|<carrier tx id>|<reference>|<msisdn>|<RFC 3339 time>|<amount>|<tax>|<revenue share>|<net>
 *   TRL|<detail count>|<sum of amounts>|<sum of net amounts>
 */
const EVENT_CODES: Readonly<Record<string, StatementLine['eventType']>> = {
  C: 'charge',
  R: 'refund',
  B: 'chargeback',
  A: 'adjustment',
};
const INTEGER = /^-?\d{1,15}$/;

export async function* parseHeaderTrailerStatement(input: Readable): AsyncGenerator<StatementLine> {
  let header: { statementId: string; carrierId: string; billingPeriod: string; currency: string } | undefined;
  let trailerSeen = false;
  let count = 0;
  let sumAmount = 0n;
  let sumNet = 0n;
  let lineNumber = 0;
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber += 1;
    if (raw.trim() === '') continue;
    const fields = raw.split('|');
    const fail = (reason: string): never => {
      throw new StatementFormatError(lineNumber, reason);
    };
    if (trailerSeen) fail('record after the trailer');
    switch (fields[0]) {
      case 'HDR': {
        if (header) fail('second header');
        const [, statementId = '', carrierId = '', billingPeriod = '', currency = ''] = fields;
        if (
          fields.length !== 5 ||
          !statementId ||
          !/^\d{4}-(0[1-9]|1[0-2])$/.test(billingPeriod) ||
          !/^[A-Z]{3}$/.test(currency)
        )
          fail('malformed header');
        header = { statementId, carrierId, billingPeriod, currency };
        break;
      }
      case 'DTL': {
        if (!header) fail('detail before the header');
        const h = header as NonNullable<typeof header>;
        const [
          ,
          code = '',
          carrierTransactionId = '',
          referenceCode = '',
          msisdn = '',
          eventTime = '',
          amount = '',
          tax = '',
          share = '',
          net = '',
        ] = fields;
        if (fields.length !== 10) fail(`expected 10 fields, found ${fields.length}`);
        const eventType = EVENT_CODES[code] ?? fail(`event code "${code}" is not C, R, B or A`);
        if (!referenceCode) fail('reference is empty');
        if (!isRfc3339(eventTime)) fail(`event time "${eventTime}" is not RFC 3339`);
        for (const [name, value] of [
          ['amount', amount],
          ['tax', tax],
          ['revenue share', share],
          ['net', net],
        ] as const) {
          if (!INTEGER.test(value)) fail(`${name} "${value}" is not an integer in minor units`);
        }
        if (BigInt(amount) - BigInt(share) !== BigInt(net)) fail('net is not amount - revenue share');
        count += 1;
        sumAmount += BigInt(amount);
        sumNet += BigInt(net);
        yield {
          lineNumber,
          statementId: h.statementId,
          carrierId: h.carrierId,
          billingPeriod: h.billingPeriod,
          eventType,
          carrierTransactionId,
          referenceCode,
          msisdn,
          eventTime,
          amountMinor: BigInt(amount),
          currency: h.currency,
          taxMinor: BigInt(tax),
          revenueShareMinor: BigInt(share),
          netMinor: BigInt(net),
        };
        break;
      }
      case 'TRL': {
        const [, expectedCount = '', expectedAmount = '', expectedNet = ''] = fields;
        if (fields.length !== 4 || ![expectedCount, expectedAmount, expectedNet].every((v) => INTEGER.test(v)))
          fail('malformed trailer');
        if (BigInt(expectedCount) !== BigInt(count))
          fail(`trailer says ${expectedCount} details, the file has ${count}`);
        if (BigInt(expectedAmount) !== sumAmount)
          fail(`trailer amount total ${expectedAmount} differs from the details' ${sumAmount}`);
        if (BigInt(expectedNet) !== sumNet)
          fail(`trailer net total ${expectedNet} differs from the details' ${sumNet}`);
        trailerSeen = true;
        break;
      }
      default:
        fail(`unknown record type "${fields[0]}"`);
    }
  }
  if (!header) throw new StatementFormatError(Math.max(lineNumber, 1), 'no header');
  if (!trailerSeen) throw new StatementFormatError(lineNumber + 1, 'no trailer: the file is incomplete');
}
