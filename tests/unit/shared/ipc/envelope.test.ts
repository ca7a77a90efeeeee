import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { envelopeSchema } from '../../../../shared/ipc/envelope';

describe('IPC envelope schema', () => {
  const schema = envelopeSchema(z.string());
  it('accepts {ok:true,value} and {ok:false,code} with a known code', () => {
    expect(schema.safeParse({ ok: true, value: 'x' }).success).toBe(true);
    expect(schema.safeParse({ ok: false, code: 'INTERNAL' }).success).toBe(true);
  });
  it('refuses an unknown code, an extra message field, and an Error-shaped failure', () => {
    expect(schema.safeParse({ ok: false, code: 'OOPS' }).success).toBe(false);
    expect(schema.safeParse({ ok: false, code: 'INTERNAL', message: 'Patient X' }).success).toBe(false);
    expect(schema.safeParse({ ok: false, error: new Error('x') }).success).toBe(false);
    expect(schema.safeParse({ ok: true, value: 3 }).success).toBe(false);
  });
});
