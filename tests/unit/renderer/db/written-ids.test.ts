import { describe, expect, it } from 'vitest';
import { createWrittenIds } from '../../../../renderer/db/written-ids';

describe('the written-ids filter', () => {
  it('never says "not written" of an id it was given, and rarely says "maybe" of one it was not', () => {
    const filter = createWrittenIds();
    const id = (prefix: string, i: number): string => `${prefix}${i.toString(36).padStart(6, '0')}Xq`;
    for (let i = 0; i < 100_000; i += 1) filter.add(id('w', i));
    for (let i = 0; i < 100_000; i += 1) expect(filter.mayHave(id('w', i))).toBe(true);
    let falseMaybe = 0;
    for (let i = 0; i < 100_000; i += 1) if (filter.mayHave(id('u', i))) falseMaybe += 1;
    // 6 probes in 2^24 bits at 100k ids: about 1 in a million in theory; a bad hash would show here.
    expect(falseMaybe).toBeLessThan(100);
  });

  it('an empty filter says "not written" of everything', () => {
    const filter = createWrittenIds();
    expect(['', 'a', 'Observation/x', 'zzzzzzzzzzzzzzzzzzzzzz'].some((id) => filter.mayHave(id))).toBe(false);
  });
});
