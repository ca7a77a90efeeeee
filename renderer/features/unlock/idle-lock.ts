/**
 * The idle lock's clock. Only the clinician's own input restarts it — a key, a pointer press or
 * move, the wheel, a touch — never a re-render, a focus change, a scroll the app made, or sync:
 * background sync runs all day and must not keep patient data on an unattended screen.
 */
export const idleInputEvents = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

export type IdleTimers = Readonly<{ set(fn: () => void, ms: number): unknown; clear(handle: unknown): void }>;

export type IdleLockOptions = Readonly<{
  target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  minutes: number;
  onIdle: () => void;
  timers?: IdleTimers;
  now?: () => number;
}>;

export type IdleLock = Readonly<{ stop(): void }>;

const defaultTimers: IdleTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function startIdleLock(options: IdleLockOptions): IdleLock {
  const timers = options.timers ?? defaultTimers;
  const now = options.now ?? (() => Date.now());
  const limitMs = Math.max(1, options.minutes) * 60_000;
  let lastInput = now();
  let handle: unknown = null;
  let stopped = false;

  // One timer re-armed from the last input time, rather than one per event: pointermove fires often.
  const arm = (delayMs: number): void => {
    handle = timers.set(() => {
      if (stopped) return;
      const idleFor = now() - lastInput;
      if (idleFor >= limitMs) {
        stopped = true;
        remove();
        options.onIdle();
      } else {
        arm(limitMs - idleFor);
      }
    }, delayMs);
  };
  const onInput = (): void => {
    lastInput = now();
  };
  const remove = (): void => {
    for (const type of idleInputEvents) options.target.removeEventListener(type, onInput, { capture: true });
  };
  for (const type of idleInputEvents) options.target.addEventListener(type, onInput, { capture: true, passive: true });
  arm(limitMs);
  return {
    stop() {
      stopped = true;
      remove();
      if (handle !== null) timers.clear(handle);
    },
  };
}

/** The choices offered (policy `idleLockMaxMinutes` narrows them). */
export const idleMinuteChoices = [1, 5, 10, 15, 30, 60] as const;
export const defaultIdleMinutes = 10;
const idleMinutesKey = 'relais.idle-minutes';

/** IT's bounds (policy `idleLockMaxMinutes`, `idleLockDefaultMinutes`; null: none set). */
export type IdleBounds = Readonly<{ maxMinutes: number | null; defaultMinutes: number | null }>;
const noBounds: IdleBounds = { maxMinutes: null, defaultMinutes: null };

/** The choices a clinician is offered: those up to IT's longest, and IT's own default among them. */
export function idleChoices(bounds: IdleBounds = noBounds): number[] {
  const max = bounds.maxMinutes ?? Infinity;
  const allowed = new Set<number>(idleMinuteChoices.filter((m) => m <= max));
  if (bounds.maxMinutes !== null) allowed.add(bounds.maxMinutes);
  if (bounds.defaultMinutes !== null && bounds.defaultMinutes <= max) allowed.add(bounds.defaultMinutes);
  return [...allowed].sort((a, b) => a - b);
}

/**
 * The idle minutes in force: the clinician's choice when IT allows it, else IT's default (or the
 * built-in 10 minutes), never beyond IT's longest.
 */
export function readIdleMinutes(storage: Pick<Storage, 'getItem'>, bounds: IdleBounds = noBounds): number {
  const choices = idleChoices(bounds);
  const value = Number(storage.getItem(idleMinutesKey));
  if (choices.includes(value)) return value;
  const fallback = bounds.defaultMinutes ?? defaultIdleMinutes;
  return choices.includes(fallback) ? fallback : Math.max(...choices.filter((m) => m <= fallback), choices[0] ?? 1);
}

export function saveIdleMinutes(storage: Pick<Storage, 'setItem'>, minutes: number): void {
  storage.setItem(idleMinutesKey, String(minutes));
}
