import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useCoordination } from '../../app/workspace-context';

// One object for "no names yet": a selector answering a new {} each time would never settle.
const noPeople: Readonly<Record<string, string>> = Object.freeze({});

/** The "To" of a message or a referral: only the colleagues who share the patient's care (care-colleagues.ts). */
export function RecipientField(props: Readonly<{ id: string; colleagues: readonly string[]; value: string; onChange(value: string): void }>) {
  const { t } = useTranslation();
  const people = useCoordination((s) => s.model?.people ?? noPeople);
  return (
    <div className="field">
      <label htmlFor={props.id}>{t('messages.recipient')}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.colleagues.map((ref) => (
          <option key={ref} value={ref}>{people[ref] ?? ref}</option>
        ))}
      </select>
    </div>
  );
}

/**
 * A form written to a colleague about the patient (a new message, a referral): its title, and
 * either its fields or, when nobody shares the patient's care, the sentence that says why not.
 */
export function ColleagueForm(props: Readonly<{ id: string; title: string; colleagues: readonly string[]; onSubmit(event: FormEvent): void; children: ReactNode; status: ReactNode }>) {
  const { t } = useTranslation();
  return (
    <form className="coordination-form" autoComplete="off" onSubmit={props.onSubmit} aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {props.colleagues.length === 0 ? <p className="notice">{t('messages.noRecipient')}</p> : props.children}
      {props.status}
    </form>
  );
}
