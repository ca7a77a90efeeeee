import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import {
  channelNames,
  ipcContract,
  type ChannelName,
  type RequestOf,
  type ResponseOf,
} from '../../shared/ipc/contract';
import type { IpcEnvelope } from '../../shared/ipc/envelope';
import { wireChannel } from '../../shared/ipc/wire';
import type { Logger } from '../log/logger';
import { isAppUrl } from '../security/app-origin';
import { CodedError } from './coded-error';

/** One handler per channel of the contract; the compiler refuses a missing or extra one. */
export type IpcHandlers = {
  readonly [C in ChannelName]: (request: RequestOf<C>) => Promise<ResponseOf<C>>;
};

/** The parts of Electron's event the guard reads: which frame sent it, and whose main frame is it. */
export type InvokeEventLike = Readonly<{
  senderFrame: Readonly<{ url: string; parent: unknown }> | null;
  sender: Readonly<{ mainFrame: unknown }>;
}>;

export type IpcMainLike = Readonly<{
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
}>;

/**
 * Accepts only our own page's top frame: a sub-frame (say, a narrative iframe) or a page from
 * another origin that somehow got the preload never reaches a handler. Compare VS Code's
 * validatedIpcMain.
 */
export function isTrustedSender(event: InvokeEventLike): boolean {
  const frame = event.senderFrame;
  if (frame === null) return false;
  if (frame.parent !== null) return false;
  if (frame !== event.sender.mainFrame) return false;
  return isAppUrl(frame.url);
}

/** Runs one request through the guard, the schema and the handler, and always answers an envelope. */
export async function dispatch<C extends ChannelName>(
  channel: C,
  handler: IpcHandlers[C],
  event: InvokeEventLike,
  args: readonly unknown[],
  log: Logger,
): Promise<IpcEnvelope<ResponseOf<C>>> {
  if (!isTrustedSender(event)) {
    log.warn('ipc sender refused', { channel });
    return { ok: false, code: 'FORBIDDEN_SENDER' };
  }
  if (args.length > 1) return { ok: false, code: 'BAD_REQUEST' };
  const parsed = ipcContract[channel].request.safeParse(args[0]);
  if (!parsed.success) {
    log.warn('ipc request rejected by schema', { channel });
    return { ok: false, code: 'BAD_REQUEST' };
  }
  try {
    const value = await handler(parsed.data as RequestOf<C>);
    return { ok: true, value };
  } catch (error: unknown) {
    if (error instanceof CodedError) return { ok: false, code: error.code };
    // The message may carry patient data: log the error's class only.
    log.error('ipc handler failed', {
      channel,
      errorName: error instanceof Error ? error.name : typeof error,
    });
    return { ok: false, code: 'INTERNAL' };
  }
}

/** The only place in the app that calls `ipcMain.handle`. */
export function registerIpcHandlers(ipcMain: IpcMain | IpcMainLike, handlers: IpcHandlers, log: Logger): void {
  const target = ipcMain as IpcMainLike;
  for (const channel of channelNames) {
    const handler = handlers[channel];
    target.handle(wireChannel(channel), (event: InvokeEventLike | IpcMainInvokeEvent, ...args: unknown[]) =>
      dispatch(channel, handler as IpcHandlers[typeof channel], event as InvokeEventLike, args, log),
    );
  }
}
