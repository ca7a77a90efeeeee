/** A value or a coded failure. Codes cross process boundaries; messages and Error objects never do. */
export type Ok<T> = Readonly<{ ok: true; value: T }>;
export type Failure<C extends string = string> = Readonly<{ ok: false; code: C }>;
export type Result<T, C extends string = string> = Ok<T> | Failure<C>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const failure = <C extends string>(code: C): Failure<C> => ({ ok: false, code });

/** Ends an exhaustive switch: the compiler proves it unreachable, the runtime reports what slipped through. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected case: ${String(value)}`);
}
