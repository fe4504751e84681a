import { describe, expect, it } from 'vitest';
import { chargingInformation, classifyFailure, endUserIdentifier } from '../../adapters/parlayx/mapping.js';

const fault = (id: string) =>
  `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>x</faultstring><detail><ns1:PolicyException xmlns:ns1="http://www.csapi.org/schema/parlayx/common/v2_1"><ns1:messageId>${id}</ns1:messageId><ns1:text>x</ns1:text></ns1:PolicyException></detail></soap:Fault></soap:Body></soap:Envelope>`;

describe('Parlay X outcome table', () => {
  it.each([
    ['POL1000', { kind: 'declined', reason: 'insufficient_funds', carrierCode: 'POL1000' }],
    ['POL0253', { kind: 'declined', reason: 'barred', carrierCode: 'POL0253' }],
    ['POL1001', { kind: 'declined', reason: 'limit_exceeded', carrierCode: 'POL1001' }],
    ['POL1007', { kind: 'declined', reason: 'not_supported', carrierCode: 'POL1007' }],
    ['SVC0270', { kind: 'declined', reason: 'other', carrierCode: 'SVC0270' }],
    ['POL9999', { kind: 'declined', reason: 'other', carrierCode: 'POL9999' }],
    ['SVC0001', { kind: 'not_executed', detail: 'fault SVC0001' }],
  ])('fault %s maps to %o', (id, outcome) => {
    expect(classifyFailure({ status: 500, body: fault(id) })).toEqual(outcome);
  });

  it('a refused connection or a 503 before acceptance is not executed', () => {
    expect(classifyFailure({ code: 'ECONNREFUSED' }).kind).toBe('not_executed');
    expect(classifyFailure({ status: 503, body: '' }).kind).toBe('not_executed');
  });

  it('a timeout, a reset or a garbled reply after sending is unknown', () => {
    expect(classifyFailure({ code: 'ECONNABORTED' }).kind).toBe('unknown');
    expect(classifyFailure({ code: 'ECONNRESET' }).kind).toBe('unknown');
    expect(classifyFailure({ status: 500, body: '<html>oops</html>' }).kind).toBe('unknown');
    expect(classifyFailure({ status: 200, body: 'garbage' }).kind).toBe('unknown');
  });

  it('renders subscribers and amounts as Parlay X expects', () => {
    expect(endUserIdentifier('+821012345678')).toBe('tel:+821012345678');
    expect(chargingInformation('Book', 1230n, 'USD')).toEqual({
      description: 'Book',
      currency: 'USD',
      amount: '12.30',
    });
  });
});
