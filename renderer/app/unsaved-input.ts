import { useEffect, useId } from 'react';
import { createStore } from 'zustand/vanilla';

/**
 * Which open forms hold input the clinician has typed and not saved yet (a note, vitals, an
 * order, a message, a break-the-glass reason). An update is never installed while one does
 * (electron/updates/install-moment.ts): installing restarts Relais, and typed input is not in
 * the replica until it is saved.
 */
export const unsavedInputStore = createStore<ReadonlySet<string>>()(() => new Set<string>());

export const hasUnsavedInput = (): boolean => unsavedInputStore.getState().size > 0;

/** A form says whether it holds unsaved input; it stops counting once it closes. */
export function useUnsavedInput(dirty: boolean): void {
  const id = useId();
  useEffect(() => {
    if (!dirty) return undefined;
    unsavedInputStore.setState((forms) => new Set([...forms, id]), true);
    return () => unsavedInputStore.setState((forms) => new Set([...forms].filter((form) => form !== id)), true);
  }, [dirty, id]);
}
