import { describe, expect, it } from 'vitest';
import { retryAfterMs, stopForStatus } from '../../../../shared/hie/errors';
import { TransportError } from '../../../../shared/hie/transport';
import { exchange } from '../../../../shared/hie/exchange';

describe('stop codes and Retry-After', () => {
  it('maps statuses to stops', () => {
    expect(stopForStatus(401, {}).code).toBe('AUTH_REQUIRED');
    expect(stopForStatus(503, { 'retry-after': '7' })).toMatchObject({ code: 'SERVER_BUSY', retryAfterMs: 7000 });
    expect(stopForStatus(429, {}).code).toBe('SERVER_BUSY');
    expect(stopForStatus(500, {}).code).toBe('SERVER_ERROR');
    expect(stopForStatus(418, {}).code).toBe('UNEXPECTED_STATUS');
  });

  it('reads Retry-After as an HTTP date against the server’s own clock, not the laptop’s', () => {
    expect(retryAfterMs({ 'retry-after': 'Wed, 21 Oct 2026 07:28:30 GMT', date: 'Wed, 21 Oct 2026 07:28:00 GMT' })).toBe(30_000);
    expect(retryAfterMs({ 'retry-after': 'Wed, 21 Oct 2026 07:28:30 GMT' })).toBeNull();
    expect(retryAfterMs({ 'retry-after': 'soon' })).toBeNull();
    expect(retryAfterMs({})).toBeNull();
  });

  it('a request this computer would not send is not "offline": refused and not-configured keep their own stops', async () => {
    const failing = (kind: TransportError['kind']) => ({ send: async () => Promise.reject(new TransportError(kind)) });
    await expect(exchange(failing('refused'), { method: 'GET', target: 'Patient' })).rejects.toMatchObject({ code: 'HIE_REFUSED' });
    await expect(exchange(failing('not-configured'), { method: 'GET', target: 'Patient' })).rejects.toMatchObject({ code: 'HIE_NOT_CONFIGURED' });
    await expect(exchange(failing('offline'), { method: 'GET', target: 'Patient' })).rejects.toMatchObject({ code: 'OFFLINE' });
    await expect(exchange(failing('timeout'), { method: 'GET', target: 'Patient' })).rejects.toMatchObject({ code: 'OFFLINE' });
  });
});
