import { describe, expect, it } from 'vitest';
import {
  camaraStatus,
  nextStatus,
  PAYMENT_STATUSES,
  type PaymentEvent,
  type PaymentStatus,
} from '../../src/domain/payment-state.js';

const ALLOWED: Array<[PaymentStatus, PaymentEvent, PaymentStatus]> = [
  ['reserving', 'reservation_succeeded', 'pending_validation'],
  ['reserving', 'reservation_declined', 'rejected'],
  ['reserving', 'reservation_held', 'held'],
  ['held', 'review_approved', 'pending_validation'],
  ['held', 'review_declined', 'denied'],
  ['held', 'review_lapsed', 'denied'],
  ['held', 'cancel_requested', 'cancelled'],
  ['pending_validation', 'code_validated', 'reserved'],
  ['pending_validation', 'validation_failed', 'denied'],
  ['pending_validation', 'validation_expired', 'denied'],
  ['pending_validation', 'cancel_requested', 'cancelled'],
  ['reserved', 'confirm_requested', 'charging'],
  ['reserved', 'cancel_requested', 'cancelled'],
  ['reserved', 'reservation_expired', 'cancelled'],
  ['reserved', 'limit_exceeded', 'denied'],
  ['charging', 'charge_succeeded', 'succeeded'],
  ['charging', 'charge_declined', 'denied'],
  ['charging', 'one_step_declined', 'rejected'],
  ['charging', 'review_needed', 'manual_review'],
  ['manual_review', 'charge_succeeded', 'succeeded'],
  ['manual_review', 'charge_declined', 'denied'],
  ['denied', 'late_charge_found', 'manual_review'],
];
const EVENTS = [...new Set(ALLOWED.map(([, e]) => e))];

describe('payment state machine', () => {
  it.each(ALLOWED)('%s --%s--> %s', (from, event, to) => {
    expect(nextStatus(from, event)).toBe(to);
  });

  it('forbids every other edge', () => {
    for (const from of PAYMENT_STATUSES) {
      for (const event of EVENTS) {
        if (ALLOWED.some(([f, e]) => f === from && e === event)) continue;
        expect(nextStatus(from, event), `${from} --${event}-->`).toBeUndefined();
      }
    }
  });

  it('final states have no way out', () => {
    for (const final of ['succeeded', 'cancelled', 'rejected'] as const) {
      expect(EVENTS.map((e) => nextStatus(final, e)).filter(Boolean)).toEqual([]);
    }
  });

  it('shows in-flight states as CAMARA processing', () => {
    expect(camaraStatus('charging')).toBe('processing');
    expect(camaraStatus('reserving')).toBe('processing');
    expect(camaraStatus('pending_validation')).toBe('pending_validation');
  });
});
