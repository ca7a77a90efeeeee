import { describe, expect, it } from 'vitest';
import { leaseVerdict } from '../../../../shared/security/offline-lease';

const day = 86_400_000;
const signedIn = Date.parse('2026-11-01T08:00:00Z');

describe('offline lease', () => {
  it('is valid until the policy’s number of days after the last online authentication', () => {
    expect(leaseVerdict(signedIn, signedIn + 3 * day, 14)).toEqual({ state: 'valid', expiresAt: signedIn + 14 * day });
    expect(leaseVerdict(signedIn, signedIn + 14 * day, 14).state).toBe('valid');
    expect(leaseVerdict(signedIn, signedIn + 14 * day + 1, 14)).toEqual({ state: 'expired', reason: 'elapsed' });
  });

  it('cannot be stretched by setting the clock back', () => {
    expect(leaseVerdict(signedIn, signedIn - day, 14)).toEqual({ state: 'expired', reason: 'clock-set-back' });
    expect(leaseVerdict(signedIn, signedIn - 60_000, 14).state).toBe('valid');
  });

  it('has expired when there was never an online authentication, and a zero-day lease needs the network every time', () => {
    expect(leaseVerdict(null, signedIn, 14)).toEqual({ state: 'expired', reason: 'never-authenticated' });
    expect(leaseVerdict(signedIn, signedIn + 1, 0).state).toBe('expired');
  });
});
