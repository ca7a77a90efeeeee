import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import { useWorkspace } from '../../app/workspace-context';
import type { AllergyItem } from '../chart/clinical-items';
import { Field } from './Field';
import { allergyResource, type AllergyInput } from './record-builders';
import { useSaveEdits } from './save-edit';
import { SaveStatus } from './SaveStatus';
import { searchSubstances, substanceFor } from '../../../shared/medication/allergy-substances';
import { medicationKnowledge } from '../../../shared/medication/knowledge';
import { Combobox } from '../medication/Combobox';
import { useUnsavedInput } from '../../app/unsaved-input';

const categories = ['medication', 'food', 'environment', 'biologic'] as const;
const criticalities = ['high', 'low', 'unable-to-assess'] as const;
const statuses = ['active', 'inactive', 'resolved'] as const;
const severities = ['', 'mild', 'moderate', 'severe'] as const;

const categoryKey = { medication: 'charting.allergy.category.medication', food: 'charting.allergy.category.food', environment: 'charting.allergy.category.environment', biologic: 'charting.allergy.category.biologic' } as const;
const criticalityKey = { high: 'chart.allergy.criticality.high', low: 'chart.allergy.criticality.low', 'unable-to-assess': 'chart.allergy.criticality.unable-to-assess' } as const;
const statusKey = { active: 'chart.status.active', inactive: 'chart.status.inactive', resolved: 'chart.status.resolved' } as const;
const severityKey = { '': 'charting.allergy.severity.unknown', mild: 'charting.allergy.severity.mild', moderate: 'charting.allergy.severity.moderate', severe: 'charting.allergy.severity.severe' } as const;

const pick = <T extends string>(list: readonly T[], value: unknown, fallback: T): T => (list.includes(value as T) ? (value as T) : fallback);

/** Add an allergy, or update one (criticality, status, reaction…): the other fields of the record are kept. */
export function AllergyForm(props: Readonly<{ patient: string; language: Language; existing?: AllergyItem; onDone?: () => void }>) {
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const { outcome, save, reset } = useSaveEdits(props.patient);
  const e = props.existing;
  const [substance, setSubstance] = useState(e?.substance ?? '');
  const [category, setCategory] = useState<AllergyInput['category']>(pick(categories, e?.category[0], 'medication'));
  const [criticality, setCriticality] = useState<AllergyInput['criticality']>(e?.criticality ?? 'unable-to-assess');
  const [status, setStatus] = useState<AllergyInput['clinicalStatus']>(pick(statuses, e?.clinicalStatus, 'active'));
  const [reaction, setReaction] = useState(e?.reactions.join(', ') ?? '');
  const [severity, setSeverity] = useState<(typeof severities)[number]>(pick(severities, e?.severity, ''));
  const [missing, setMissing] = useState(false);
  const [chosenKey, setChosenKey] = useState<string | null>(null);
  // A new allergy counts as unsaved once a substance or reaction is typed; an edit, once anything differs from the record.
  const [initial] = useState(() => [substance, category, criticality, status, reaction, severity].join('\u0000'));
  useUnsavedInput(e === undefined ? substance.trim() !== '' || reaction.trim() !== '' : [substance, category, criticality, status, reaction, severity].join('\u0000') !== initial);
  const titleId = useId();

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setMissing(substance.trim() === '');
    if (substance.trim() === '') return;
    // Coded from the same knowledge as prescribing: a drug class, an ingredient (RxNorm + ATC) or an allergen (SNOMED CT); else free text.
    const untouched = e !== undefined && chosenKey === null && substance === e.substance;
    const coded = untouched ? null : substanceFor(medicationKnowledge(), chosenKey ?? substance, props.language);
    const input: AllergyInput = { substance, codings: untouched ? null : (coded?.codings ?? []), category, criticality, clinicalStatus: status, reaction, severity: severity === '' ? null : severity };
    const context = { patient: props.patient, practitioner: workspace.owner.practitioner, now: new Date().toISOString().slice(0, 10), newId: () => window.crypto.randomUUID() };
    const resource = allergyResource(input, context, e?.resource);
    if (await save([{ op: e ? 'update' : 'create', resource }])) {
      if (!e) {
        setSubstance('');
        setChosenKey(null);
        setReaction('');
      }
      props.onDone?.();
    }
  };
  return (
    <form className="charting-form" autoComplete="off" onSubmit={(ev) => void submit(ev)} noValidate aria-labelledby={titleId}>
      <h3 id={titleId}>{e ? t('charting.allergy.editTitle', { name: e.substance }) : t('charting.allergy.addTitle')}</h3>
      <div className="charting-form__grid">
        <Field label={t('charting.allergy.substance')} error={missing ? t('charting.allergy.missing') : null}>
          {({ id, describedBy, invalid }) => (
            <Combobox
              id={id}
              describedBy={describedBy}
              invalid={invalid}
              listLabel={t('charting.allergy.suggestions')}
              text={substance}
              options={chosenKey !== null ? [] : searchSubstances(medicationKnowledge(), substance, props.language).map((s) => ({ key: s.key, label: s.label }))}
              onText={(next) => {
                reset();
                setChosenKey(null);
                setSubstance(next);
              }}
              onChoose={(key) => {
                const chosen = substanceFor(medicationKnowledge(), key, props.language);
                if (!chosen) return;
                setChosenKey(key);
                setSubstance(chosen.text);
                setCategory(chosen.category);
              }}
            />
          )}
        </Field>
        <Field label={t('charting.allergy.category.label')}>
          {({ id }) => (
            <select id={id} value={category} onChange={(ev) => setCategory(pick(categories, ev.target.value, 'medication'))}>
              {categories.map((c) => <option key={c} value={c}>{t(categoryKey[c])}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('charting.allergy.criticality')}>
          {({ id }) => (
            <select id={id} value={criticality} onChange={(ev) => setCriticality(pick(criticalities, ev.target.value, 'unable-to-assess'))}>
              {criticalities.map((c) => <option key={c} value={c}>{t(criticalityKey[c])}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('charting.allergy.status')}>
          {({ id }) => (
            <select id={id} value={status} onChange={(ev) => setStatus(pick(statuses, ev.target.value, 'active'))}>
              {statuses.map((s) => <option key={s} value={s}>{t(statusKey[s])}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('charting.allergy.reaction')}>
          {({ id }) => <input id={id} value={reaction} onChange={(ev) => setReaction(ev.target.value)} />}
        </Field>
        <Field label={t('charting.allergy.severity.label')}>
          {({ id }) => (
            <select id={id} value={severity} onChange={(ev) => setSeverity(pick(severities, ev.target.value, ''))}>
              {severities.map((s) => <option key={s} value={s}>{t(severityKey[s])}</option>)}
            </select>
          )}
        </Field>
      </div>
      <button type="submit" className="button button--primary" disabled={outcome.kind === 'saving'}>
        {e ? t('charting.allergy.update') : t('charting.allergy.add')}
      </button>
      <SaveStatus outcome={outcome} />
    </form>
  );
}
