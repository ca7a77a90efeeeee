import { z } from 'zod';
import type { IpcEnvelope } from './envelope';

/**
 * The one declaration of every IPC channel between the renderer and main.
 * Main registers handlers only for these names (electron/ipc/register.ts), the preload exposes one
 * function per name (electron/preload/index.ts, checked with `satisfies RelaisBridge`), and both
 * sides parse with these schemas: main the request, the renderer the response.
 */
export const languageSchema = z.enum(['fr', 'en']);
export type Language = z.infer<typeof languageSchema>;

const noRequest = z.undefined();

export const ipcContract = {
  getAppInfo: {
    request: noRequest,
    response: z
      .object({
        name: z.string(),
        version: z.string(),
        platform: z.enum(['linux', 'darwin', 'win32', 'other']),
      })
      .strict(),
  },
  getLanguage: {
    request: noRequest,
    response: languageSchema.nullable(),
  },
  setLanguage: {
    request: z.object({ language: languageSchema }).strict(),
    response: z.null(),
  },
  openExternal: {
    request: z.object({ url: z.string().max(2048) }).strict(),
    response: z.null(),
  },
  getKeychainStatus: {
    request: noRequest,
    response: z.object({ available: z.boolean() }).strict(),
  },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

export type IpcContract = typeof ipcContract;
export type ChannelName = keyof IpcContract;
export type RequestOf<C extends ChannelName> = z.infer<IpcContract[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.infer<IpcContract[C]['response']>;

export const channelNames = Object.keys(ipcContract) as ChannelName[];

/** What the preload exposes as `window.relais`: one function per channel, answering an envelope. */
export type RelaisBridge = {
  readonly [C in ChannelName]: RequestOf<C> extends undefined
    ? () => Promise<IpcEnvelope<ResponseOf<C>>>
    : (request: RequestOf<C>) => Promise<IpcEnvelope<ResponseOf<C>>>;
};
