import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/domain/circuit-breaker.js';

describe('circuit breaker', () => {
  it('opens after the threshold of consecutive failures, probes once after the pause, and closes on success', () => {
    let now = 0;
    const breaker = new CircuitBreaker(3, 1000, () => now);
    breaker.record(false);
    breaker.record(false);
    breaker.record(true);
    breaker.record(false);
    breaker.record(false);
    expect(breaker.state()).toBe('closed');
    breaker.record(false);
    expect(breaker.state()).toBe('open');
    expect(breaker.allowRequest()).toBe(false);
    expect(breaker.retryAfterSeconds()).toBe(1);

    now = 1000;
    expect(breaker.state()).toBe('half_open');
    expect(breaker.allowRequest()).toBe(true);
    expect(breaker.allowRequest()).toBe(false);
    breaker.record(false);
    expect(breaker.state()).toBe('open');

    now = 2000;
    expect(breaker.allowRequest()).toBe(true);
    // A probe that never reached the carrier gives way to another after the pause.
    now = 3000;
    expect(breaker.allowRequest()).toBe(true);
    breaker.record(true);
    expect(breaker.state()).toBe('closed');
    expect(breaker.allowRequest()).toBe(true);
  });
});
