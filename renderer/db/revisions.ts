/**
 * (Data worker, under renderer/db: imports nothing.) When the replica's resources last changed, in
 * all and per resource type: what a reader of one type (the patient list reads every Patient and
 * Appointment) needs in order to keep what it decrypted while a sync writes other types.
 *
 * Measured (issue 12): with one revision for everything, the patient list of 10,000 patients was
 * decrypted again after every page of Observations a first sync wrote, and that work grew with the
 * replica until it slowed the whole sync.
 */
export type ResourceRevisions = Readonly<{
  /** Moves with every change. */
  value(): number;
  /** The revision of one type: moves when a row of that type changes, or when a change may touch every type. */
  of(type: string): number;
  /** Rows of these types changed ('all': of any type, e.g. the outbox, which every entry's state reads, or rows whose type is not known). */
  changed(types: Iterable<string> | 'all'): void;
}>;

export function createResourceRevisions(): ResourceRevisions {
  let value = 0;
  let allAt = 0;
  const typeAt = new Map<string, number>();
  return {
    value: () => value,
    of: (type) => Math.max(allAt, typeAt.get(type) ?? 0),
    changed(types) {
      value += 1;
      if (types === 'all') {
        allAt = value;
        return;
      }
      for (const type of types) typeAt.set(type, value);
    },
  };
}

/** The resource type a reference names ('Observation/1' → 'Observation'). */
export const typeOfRef = (ref: string): string => ref.slice(0, Math.max(0, ref.indexOf('/')));
