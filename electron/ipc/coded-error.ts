import type { IpcErrorCode } from '../../shared/ipc/codes';

/** Thrown by a handler to answer a named failure; any other exception answers INTERNAL. */
export class CodedError extends Error {
  readonly code: IpcErrorCode;
  constructor(code: IpcErrorCode) {
    super(code);
    this.name = 'CodedError';
    this.code = code;
  }
}
