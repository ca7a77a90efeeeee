import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import type { ChartSection } from '../../app/route-store';
import { formatWhen } from '../../i18n/format';
import type { FhirWhen } from '../../../shared/fhir/fhir-when';
import { statusKey } from './chart-labels';
import type { Fact } from './record-items';
import { ResourceDetails } from './ResourceDetails';
import type { Item } from './clinical-items';
import { SyncBadge } from './SyncBadge';

/** Small pieces every section uses: dates by the one date rule, "none recorded", an item with its facts and details. */
export function WhenText({ when, language, dateOnly = false }: Readonly<{ when: FhirWhen | null; language: Language; dateOnly?: boolean }>) {
  if (when === null) return null;
  return <time dateTime={when.text}>{formatWhen(when, language, dateOnly)}</time>;
}

/**
 * "None recorded": said only when the replica holds no resource of this kind for the patient.
 * `kind` names what is claimed absent (tests/e2e/chart-completeness.spec.ts checks each claim).
 */
export function NoneRecorded({ kind, children }: Readonly<{ kind: string; children: ReactNode }>) {
  return (
    <p className="none-recorded" data-none={kind}>
      {children}
    </p>
  );
}

/** Items of this section that could not be read as their type: where they are instead. */
export function UnreadNotice({ count, onOpenOther }: Readonly<{ count: number | undefined; onOpenOther(): void }>) {
  const { t } = useTranslation();
  if (count === undefined || count === 0) return null;
  return (
    <p className="notice" role="note">
      {t('chart.unreadAs', { count })}{' '}
      <button type="button" className="button button--quiet" onClick={onOpenOther}>
        {t('chart.openOther')}
      </button>
    </p>
  );
}

export function StatusTag({ code }: Readonly<{ code: string | null }>) {
  const { t } = useTranslation();
  if (code === null) return null;
  const key = statusKey(code);
  const error = code === 'entered-in-error' || code === 'refuted';
  return <span className={`tag ${error ? 'tag--danger' : 'tag--info'}`}>{key !== null ? t(key) : code}</span>;
}

export function FactList({ facts, language }: Readonly<{ facts: readonly Fact[]; language: Language }>) {
  const { t } = useTranslation();
  if (facts.length === 0) return null;
  return (
    <dl className="facts facts--inline">
      {facts.map((fact) => (
        <div key={fact.label}>
          <dt>{t(fact.label)}</dt>
          <dd>{'when' in fact ? <WhenText when={fact.when} language={language} /> : fact.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One item of a list: what it is, its status and date, its facts, and every element on demand. */
export function ItemRow(props: Readonly<{ item: Item; title: ReactNode; status?: string | null; when?: FhirWhen | null; language: Language; facts?: readonly Fact[]; children?: ReactNode; struck?: boolean }>) {
  return (
    <li className={`chart-item${props.struck === true ? ' chart-item--struck' : ''}`} data-ref={props.item.ref}>
      <div className="chart-item__head">
        <strong className="chart-item__title">{props.title}</strong> <StatusTag code={props.status ?? null} /> <SyncBadge state={props.item.syncState} itemRef={props.item.ref} />{' '}
        {props.when !== undefined && props.when !== null && (
          <span className="hint">
            <WhenText when={props.when} language={props.language} />
          </span>
        )}
      </div>
      {props.facts !== undefined && <FactList facts={props.facts} language={props.language} />}
      {props.children}
      <ResourceDetails resource={props.item.resource} />
    </li>
  );
}

export const goOther = (go: (section: ChartSection) => void) => (): void => go('other');
