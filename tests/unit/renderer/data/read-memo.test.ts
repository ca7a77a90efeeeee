import { describe, expect, it } from 'vitest';
import { createReadMemo } from '../../../../renderer/data/read-memo';
import type { ReplicaEntry } from '../../../../renderer/db/resource-docs';
import { createResourceRevisions } from '../../../../renderer/db/revisions';

/** A replica's read side, counting reads (a test double of this module's one dependency). */
function counted() {
  const revisions = createResourceRevisions();
  const reads: string[] = [];
  let failNext = false;
  const entry = (ref: string): ReplicaEntry => ({ ref, resourceType: ref.split('/')[0]!, syncState: 'synced', resource: { resourceType: ref.split('/')[0]!, id: ref.split('/')[1]! } });
  return {
    reads,
    bump: () => revisions.changed('all'),
    wrote: (...types: string[]) => revisions.changed(types),
    failOnce: () => (failNext = true),
    replica: {
      resourceRevision: (type?: string) => (type === undefined ? revisions.value() : revisions.of(type)),
      async resourcesOfType(type: string) {
        reads.push(`type ${type}@${revisions.of(type)}`);
        if (failNext) {
          failNext = false;
          throw new Error('disk');
        }
        return [entry(`${type}/1`)];
      },
      async resourcesOfPatient(patient: string) {
        reads.push(`patient ${patient}@${revisions.value()}`);
        return [entry('Observation/o1')];
      },
    },
  };
}

describe('the worker’s read memo', () => {
  it('reads each type or chart once per resource revision, and again once it moves', async () => {
    const fake = counted();
    const memo = createReadMemo(fake.replica);
    await memo.ofType('Appointment');
    await memo.ofType('Appointment');
    await memo.ofPatient('Patient/p1');
    await memo.ofPatient('Patient/p1');
    expect(fake.reads).toEqual(['type Appointment@0', 'patient Patient/p1@0']);
    fake.bump();
    expect((await memo.ofType('Appointment')).map((e) => e.ref)).toEqual(['Appointment/1']);
    await memo.ofPatient('Patient/p1');
    expect(fake.reads).toEqual(['type Appointment@0', 'patient Patient/p1@0', 'type Appointment@1', 'patient Patient/p1@1']);
  });

  it('keeps a type while a sync writes other types, and reads it again once its own rows or the outbox change', async () => {
    const fake = counted();
    const memo = createReadMemo(fake.replica);
    await memo.ofType('Patient');
    await memo.ofPatient('Patient/p1');
    fake.wrote('Observation', 'Condition');
    await memo.ofType('Patient');
    await memo.ofPatient('Patient/p1');
    // The chart moved with the Observations; the Patient list did not.
    expect(fake.reads).toEqual(['type Patient@0', 'patient Patient/p1@0', 'patient Patient/p1@1']);
    fake.wrote('Patient');
    await memo.ofType('Patient');
    fake.bump();
    await memo.ofType('Patient');
    await memo.ofType('Patient');
    expect(fake.reads.slice(3)).toEqual(['type Patient@2', 'type Patient@3']);
  });

  it('keeps no failed read: the next asks the replica again', async () => {
    const fake = counted();
    const memo = createReadMemo(fake.replica);
    fake.failOnce();
    await expect(memo.ofType('Task')).rejects.toThrow('disk');
    expect((await memo.ofType('Task')).map((e) => e.ref)).toEqual(['Task/1']);
    expect(fake.reads).toEqual(['type Task@0', 'type Task@0']);
  });
});
