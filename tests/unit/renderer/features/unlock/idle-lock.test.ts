import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { idleChoices, readIdleMinutes, saveIdleMinutes, startIdleLock } from '../../../../../renderer/features/unlock/idle-lock';
import { createSyncStatusStore } from '../../../../../renderer/sync/sync-status';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const minute = 60_000;

describe('idle lock', () => {
  it('locks once after the configured minutes without input', () => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    startIdleLock({ target, minutes: 5, onIdle });
    vi.advanceTimersByTime(5 * minute - 1);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(30 * minute);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('each key, pointer or wheel input restarts the count', () => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    startIdleLock({ target, minutes: 5, onIdle });
    for (const type of ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart']) {
      vi.advanceTimersByTime(4 * minute);
      target.dispatchEvent(new Event(type));
    }
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5 * minute);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('background sync does not restart it: status updates, focus and scroll are not input', () => {
    const target = new EventTarget();
    const status = createSyncStatusStore();
    const onIdle = vi.fn();
    startIdleLock({ target, minutes: 1, onIdle });
    for (let i = 0; i < 6; i += 1) {
      vi.advanceTimersByTime(10_000);
      status.setState({ phase: 'pull', progress: { received: i * 100, total: 1000, resumedFrom: 0, patients: 3, type: null, priority: null }, lastSuccessAt: new Date().toISOString() });
      target.dispatchEvent(new Event('focus'));
      target.dispatchEvent(new Event('scroll'));
    }
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('stops listening when stopped', () => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    const lock = startIdleLock({ target, minutes: 1, onIdle });
    lock.stop();
    vi.advanceTimersByTime(10 * minute);
    expect(onIdle).not.toHaveBeenCalled();
  });

  it('keeps the chosen minutes, and falls back to the default for anything not offered', () => {
    const values = new Map<string, string>();
    const storage = { getItem: (k: string) => values.get(k) ?? null, setItem: (k: string, v: string) => void values.set(k, v) };
    expect(readIdleMinutes(storage)).toBe(10);
    saveIdleMinutes(storage, 5);
    expect(readIdleMinutes(storage)).toBe(5);
    values.set('relais.idle-minutes', '7');
    expect(readIdleMinutes(storage)).toBe(10);
  });

  it('within IT’s bounds: no choice beyond the longest, IT’s default until the clinician chooses, a stored choice beyond the bound brought back within it', () => {
    const values = new Map<string, string>();
    const storage = { getItem: (k: string) => values.get(k) ?? null, setItem: (k: string, v: string) => void values.set(k, v) };
    expect(idleChoices()).toEqual([1, 5, 10, 15, 30, 60]);
    expect(idleChoices({ maxMinutes: 15, defaultMinutes: null })).toEqual([1, 5, 10, 15]);
    expect(idleChoices({ maxMinutes: 20, defaultMinutes: 3 })).toEqual([1, 3, 5, 10, 15, 20]);
    expect(readIdleMinutes(storage, { maxMinutes: 15, defaultMinutes: 5 })).toBe(5);
    saveIdleMinutes(storage, 60);
    expect(readIdleMinutes(storage)).toBe(60);
    expect(readIdleMinutes(storage, { maxMinutes: 15, defaultMinutes: 5 })).toBe(5);
    expect(readIdleMinutes(storage, { maxMinutes: 3, defaultMinutes: null })).toBe(3);
    expect(readIdleMinutes(storage, { maxMinutes: 7, defaultMinutes: null })).toBe(7);
    saveIdleMinutes(storage, 1);
    expect(readIdleMinutes(storage, { maxMinutes: 15, defaultMinutes: 5 })).toBe(1);
  });
});
