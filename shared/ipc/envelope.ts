import { z } from 'zod';
import type { Result } from '../result';
import { ipcErrorCodeSchema, type IpcErrorCode } from './codes';

/** What every IPC call answers: `{ok:true,value}` or `{ok:false,code}`, never an Error. */
export type IpcEnvelope<T> = Result<T, IpcErrorCode>;

export function envelopeSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }).strict(),
    z.object({ ok: z.literal(false), code: ipcErrorCodeSchema }).strict(),
  ]);
}
