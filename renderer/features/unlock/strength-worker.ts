/**
 * (A module Worker, no React, no DOM, no data.) Measures passphrase strength off the page thread
 * (passphrase-strength.ts). It holds nothing between checks but the dictionaries; what it is sent
 * is checked for shape, and anything else is answered with no estimate.
 */
import { estimatorFor } from './strength-core';
import type { StrengthAnswer } from './passphrase-strength';

type Scope = Readonly<{ addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void; postMessage(message: StrengthAnswer): void }>;
const scope = globalThis as unknown as Scope;

const isRequest = (value: unknown): value is Readonly<{ id: number; language: 'fr' | 'en'; passphrase: string; context: readonly string[] }> => {
  if (value === null || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(r['id']) && (r['language'] === 'fr' || r['language'] === 'en') && typeof r['passphrase'] === 'string' && r['passphrase'].length <= 4096 &&
    Array.isArray(r['context']) && r['context'].length <= 64 && r['context'].every((word) => typeof word === 'string' && word.length <= 200)
  );
};

scope.addEventListener('message', (event) => {
  const request = event.data;
  if (!isRequest(request)) {
    const id = (request as { id?: unknown } | null)?.id;
    if (Number.isSafeInteger(id)) scope.postMessage({ id: id as number, estimate: null });
    return;
  }
  void estimatorFor(request.language)
    .then((estimate) => scope.postMessage({ id: request.id, estimate: estimate(request.passphrase, request.context) }))
    .catch(() => scope.postMessage({ id: request.id, estimate: null }));
});
