import { describe, expect, it } from 'vitest';
import { createHeldReads } from '../../../../renderer/data/held-reads';

const owner = {};

describe('reads held by token (held-reads.ts)', () => {
  it('builds nothing while the inputs stay and the page holds the last token', async () => {
    const reads = createHeldReads<object>();
    let builds = 0;
    const build = async () => {
      builds += 1;
      return ['a', 'b'];
    };
    const first = await reads.read(owner, 'rows', () => 'r1', null, build);
    expect(first).toEqual({ token: 1, value: ['a', 'b'] });
    expect(await reads.read(owner, 'rows', () => 'r1', 1, build)).toEqual({ token: 1, value: null });
    expect(builds).toBe(1);
    // A page that holds nothing (or another token) is sent the value.
    expect(await reads.read(owner, 'rows', () => 'r1', null, build)).toEqual({ token: 1, value: ['a', 'b'] });
    expect(builds).toBe(2);
  });

  it('keeps the token when inputs moved but the value came out the same, and moves it when it differs', async () => {
    const reads = createHeldReads<object>();
    let value = { schedule: [1] };
    const build = async () => value;
    expect((await reads.read(owner, 'model', () => '', null, build)).token).toBe(1);
    // '' inputs: always built, and compared.
    expect(await reads.read(owner, 'model', () => '', 1, build)).toEqual({ token: 1, value: null });
    value = { schedule: [1, 2] };
    expect(await reads.read(owner, 'model', () => '', 1, build)).toEqual({ token: 2, value: { schedule: [1, 2] } });
    expect(await reads.read(owner, 'model', () => 'x', 2, async () => ({ schedule: [1, 2] }))).toEqual({ token: 2, value: null });
  });

  it('keeps each read and each owner apart', async () => {
    const reads = createHeldReads<object>();
    const other = {};
    const rows = await reads.read(owner, 'rows', () => 'i', null, async () => [1]);
    // A token the page holds for one read never passes for another's, nor another replica's.
    expect(await reads.read(owner, 'model', () => 'i', rows.token, async () => [1])).toEqual({ token: 2, value: [1] });
    expect(await reads.read(other, 'rows', () => 'i', rows.token, async () => [1])).toEqual({ token: 3, value: [1] });
  });

  it('runs reads of one name one at a time: an older build never settles after a newer one, and the inputs are read at the turn', async () => {
    const reads = createHeldReads<object>();
    let data = 'old';
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const building = new Promise<void>((resolve) => (started = resolve));
    const slow = reads.read(owner, 'rows', () => `rev-${data}`, null, async () => {
      const seen = data;
      started();
      await gate;
      return [seen];
    });
    await building;
    data = 'new';
    let fastInputs = '';
    const fast = reads.read(owner, 'rows', () => (fastInputs = `rev-${data}`), null, async () => [data]);
    release();
    expect(await slow).toEqual({ token: 1, value: ['old'] });
    expect(await fast).toEqual({ token: 2, value: ['new'] });
    expect(fastInputs).toBe('rev-new');
    // The newest settled is what is held: the same inputs and token build nothing.
    expect(await reads.read(owner, 'rows', () => 'rev-new', 2, async () => ['never'])).toEqual({ token: 2, value: null });
  });

  it('a failed build fails its caller only; the next read builds again', async () => {
    const reads = createHeldReads<object>();
    await expect(reads.read(owner, 'rows', () => 'i', null, async () => Promise.reject(new Error('decrypt')))).rejects.toThrow('decrypt');
    expect(await reads.read(owner, 'rows', () => 'i', null, async () => [3])).toEqual({ token: 1, value: [3] });
  });
});
