import type { Language } from '../../../shared/ipc/contract';
import type { StrengthScore } from './passphrase-policy';

/**
 * The passphrase's strength, by zxcvbn-ts with the common, French and English dictionaries
 * (strength-core.ts), measured off the page thread: one check of a 40-character passphrase takes
 * 150–300 ms on a 2-core machine, which on the page froze the first-run screen at every key typed
 * (and was the one long task left when a first sync starts). In a browser the measure runs in a
 * small module worker (strength-worker.ts); where there is none (unit tests in Node), in-thread.
 *
 * Only the latest text waits: a check is never interrupted, but a text typed while one runs
 * replaces the one waiting, whose callers get `SupersededError` (the meter then shows the newer
 * text's measure; a submit asks again, see use-passphrase-choice.ts).
 */
export type StrengthEstimate = Readonly<{ score: StrengthScore; warning: string | null; suggestions: readonly string[] }>;
export type StrengthEstimator = (passphrase: string, context: readonly string[]) => Promise<StrengthEstimate>;
export type StrengthRequest = Readonly<{ id: number; language: Language; passphrase: string; context: readonly string[] }>;
export type StrengthAnswer = Readonly<{ id: number; estimate: StrengthEstimate | null }>;

export class SupersededError extends Error {
  constructor() {
    super('a newer passphrase is being measured');
    this.name = 'SupersededError';
  }
}

/** What the client talks to: the worker, or anything that answers the same messages (unit tests). */
export type StrengthPort = Readonly<{
  post(request: StrengthRequest): void;
  onAnswer(listener: (answer: StrengthAnswer) => void): void;
}>;

type Waiting = { request: StrengthRequest; resolve: (estimate: StrengthEstimate) => void; reject: (error: unknown) => void };

/** One check at a time over `port`; of those asked meanwhile, only the latest waits. */
export function strengthClient(port: StrengthPort): (language: Language) => StrengthEstimator {
  let nextId = 1;
  let running: Waiting | null = null;
  let waiting: Waiting | null = null;
  const start = (entry: Waiting): void => {
    running = entry;
    port.post(entry.request);
  };
  port.onAnswer((answer) => {
    const done = running;
    if (done === null || done.request.id !== answer.id) return;
    running = null;
    if (answer.estimate === null) done.reject(new Error('the passphrase could not be measured'));
    else done.resolve(answer.estimate);
    const next = waiting;
    waiting = null;
    if (next !== null) start(next);
  });
  return (language) => (passphrase, context) =>
    new Promise<StrengthEstimate>((resolve, reject) => {
      const entry: Waiting = { request: { id: nextId++, language, passphrase, context: [...context] }, resolve, reject };
      if (running === null) {
        start(entry);
        return;
      }
      waiting?.reject(new SupersededError());
      waiting = entry;
    });
}

let shared: ((language: Language) => StrengthEstimator) | null = null;

function workerPort(): StrengthPort {
  const worker = new Worker(new URL('./strength-worker.ts', import.meta.url), { type: 'module', name: 'relais-strength' });
  return {
    post: (request) => worker.postMessage(request),
    onAnswer: (listener) => worker.addEventListener('message', (event: MessageEvent<StrengthAnswer>) => listener(event.data)),
  };
}

async function inThreadPort(): Promise<StrengthPort> {
  const { estimatorFor } = await import('./strength-core');
  let listener: (answer: StrengthAnswer) => void = () => undefined;
  return {
    post: (request) =>
      void estimatorFor(request.language)
        .then((estimate) => listener({ id: request.id, estimate: estimate(request.passphrase, request.context) }))
        .catch(() => listener({ id: request.id, estimate: null })),
    onAnswer: (next) => {
      listener = next;
    },
  };
}

/** The estimator for `language` (the dictionaries load on first use, in the worker). */
export async function strengthEstimator(language: Language): Promise<StrengthEstimator> {
  shared ??= strengthClient(typeof Worker === 'undefined' ? await inThreadPort() : workerPort());
  return shared(language);
}
