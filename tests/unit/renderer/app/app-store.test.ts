import { describe, expect, it } from 'vitest';
import { createAppStore, followNetwork } from '../../../../renderer/app/app-store';

describe('app store network state', () => {
  it('follows online/offline events and stops when released', () => {
    const target = new EventTarget() as EventTarget & { navigator: { onLine: boolean } };
    target.navigator = { onLine: true };
    const store = createAppStore({ online: false, language: 'fr' });
    const stop = followNetwork(store, target as unknown as Window);
    expect(store.getState().online).toBe(true);
    target.navigator.onLine = false;
    target.dispatchEvent(new Event('offline'));
    expect(store.getState().online).toBe(false);
    target.navigator.onLine = true;
    target.dispatchEvent(new Event('online'));
    expect(store.getState().online).toBe(true);
    stop();
    target.navigator.onLine = false;
    target.dispatchEvent(new Event('offline'));
    expect(store.getState().online).toBe(true);
  });
});
