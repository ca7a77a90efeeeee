import { describe, expect, it } from 'vitest';
import { strengthClient, SupersededError, type StrengthAnswer, type StrengthRequest } from '../../../../../renderer/features/unlock/passphrase-strength';

/** The worker's side of the port, answered by hand (a test double of this module's one dependency). */
function fakeWorker() {
  const sent: StrengthRequest[] = [];
  let listener: (answer: StrengthAnswer) => void = () => undefined;
  return {
    sent,
    port: { post: (request: StrengthRequest) => void sent.push(request), onAnswer: (next: (answer: StrengthAnswer) => void) => void (listener = next) },
    answer: (id: number, score: 0 | 1 | 2 | 3 | 4 | null) => listener({ id, estimate: score === null ? null : { score, warning: null, suggestions: [] } }),
  };
}

describe('the passphrase strength client (the measure runs in a worker)', () => {
  it('sends one check at a time; of the texts typed meanwhile only the latest waits, the others are superseded', async () => {
    const worker = fakeWorker();
    const estimate = strengthClient(worker.port)('fr');
    const first = estimate('Mar', ['relais']);
    const second = estimate('Maré', ['relais']);
    const third = estimate('Marée', ['relais']);
    expect(worker.sent.map((r) => r.passphrase)).toEqual(['Mar']);
    await expect(second).rejects.toBeInstanceOf(SupersededError);
    worker.answer(worker.sent[0]!.id, 1);
    expect(await first).toMatchObject({ score: 1 });
    // The latest is sent once the worker is free, with its own context and language.
    expect(worker.sent.map((r) => [r.passphrase, r.language, r.context])).toEqual([['Mar', 'fr', ['relais']], ['Marée', 'fr', ['relais']]]);
    worker.answer(worker.sent[1]!.id, 3);
    expect(await third).toMatchObject({ score: 3 });
  });

  it('ignores an answer to nothing it asked, and says so when the worker could not measure', async () => {
    const worker = fakeWorker();
    const estimate = strengthClient(worker.port)('en');
    const asked = estimate('correct horse', []);
    worker.answer(999, 4);
    worker.answer(worker.sent[0]!.id, null);
    await expect(asked).rejects.toThrow('could not be measured');
    // Free again: the next text goes at once.
    const next = estimate('correct horse battery', []);
    expect(worker.sent).toHaveLength(2);
    worker.answer(worker.sent[1]!.id, 2);
    expect(await next).toMatchObject({ score: 2 });
  });
});
