/**
 * Wire-level names, kept apart from the schemas so the preload bundle does not carry zod.
 * `ChannelName` is a type-only import: erased at build time.
 */
import type { ChannelName } from './contract';

/** The wire name of a channel; prefixed so nothing else on ipcMain can collide with ours. */
export const wireChannel = (name: ChannelName): string => `relais:${name}`;

/** The name under which the preload exposes the bridge in the page. */
export const bridgeGlobalName = 'relais';

/** The message main posts to the window with a data worker's port (webContents.postMessage), and the preload forwards to the page. */
export const dataPortMessage = 'relais:data-port';
