/**
 * Wire-level names, kept apart from the schemas so the preload bundle does not carry zod.
 * `ChannelName` is a type-only import: erased at build time.
 */
import type { ChannelName } from './contract';

/** The wire name of a channel; prefixed so nothing else on ipcMain can collide with ours. */
export const wireChannel = (name: ChannelName): string => `relais:${name}`;

/** The name under which the preload exposes the bridge in the page. */
export const bridgeGlobalName = 'relais';

/**
 * The message main posts to the window with a data worker's port (webContents.postMessage), and
 * the preload forwards to the page as `{ kind: dataPortMessage, ticket }`: the ticket is the one the
 * page sent with its request, so a port always reaches the worker it was opened for (the primary's,
 * or one source's), even when several are asked for at once or one arrives late.
 */
export const dataPortMessage = 'relais:data-port';
/** A data port request's ticket: 16 random bytes, base64url. */
export const dataPortTicketPattern = /^[A-Za-z0-9_-]{22}$/;
