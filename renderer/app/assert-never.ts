/** The default of an exhaustive switch: the compiler refuses a case left out. */
export function assertNever(value: never): never {
  throw new Error(`unexpected case: ${String(value)}`);
}
