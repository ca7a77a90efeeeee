import { ipcMain } from 'electron';
import type { Logger } from '../log/logger';
import { registerIpcHandlers, type IpcHandlers } from './register';

/** Binds the contract's handlers to Electron's ipcMain: the one import of ipcMain in the app. */
export function registerContractHandlers(handlers: IpcHandlers, log: Logger): void {
  registerIpcHandlers(ipcMain, handlers, log);
}
