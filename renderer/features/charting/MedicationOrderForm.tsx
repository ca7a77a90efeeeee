import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import { checkOrder, type Alert } from '../../../shared/medication/checks';
import { codingsOf, fold, matchMedication, searchDictionary } from '../../../shared/medication/dictionary';
import { detectedIssueFor } from '../../../shared/medication/detected-issue';
import { doseUnits, plausibility, toFhirDosage, type DoseUnit, type DosageInput, type PeriodUnit } from '../../../shared/medication/dosage';
import { medicationKnowledge } from '../../../shared/medication/knowledge';
import { routes, type DoseForm, type Ingredient, type Route, type Strength } from '../../../shared/medication/knowledge-schema';
import { useWorkspace } from '../../app/workspace-context';
import { formatNumber } from '../../i18n/format';
import type { AllergyItem, MedicationItem } from '../chart/clinical-items';
import { structuredDosageText } from '../record/dosage-text';
import { AlertList } from '../medication/AlertList';
import { Combobox } from '../medication/Combobox';
import { allergyEntries, medicationEntries } from '../medication/patient-medications';
import { Field } from './Field';
import { medicationOrder } from './record-builders';
import { useSaveEdits, type Write } from './save-edit';
import { SaveStatus } from './SaveStatus';

/** How often, as the form offers it: `frequency` times every `period` `periodUnit`. */
export const frequencies: ReadonlyArray<Readonly<{ id: string; frequency: number; period: number; periodUnit: PeriodUnit }>> = [
  { id: 'd1', frequency: 1, period: 1, periodUnit: 'd' },
  { id: 'd2', frequency: 2, period: 1, periodUnit: 'd' },
  { id: 'd3', frequency: 3, period: 1, periodUnit: 'd' },
  { id: 'd4', frequency: 4, period: 1, periodUnit: 'd' },
  { id: 'h4', frequency: 1, period: 4, periodUnit: 'h' },
  { id: 'h6', frequency: 1, period: 6, periodUnit: 'h' },
  { id: 'h8', frequency: 1, period: 8, periodUnit: 'h' },
  { id: 'h12', frequency: 1, period: 12, periodUnit: 'h' },
  { id: 'wk1', frequency: 1, period: 1, periodUnit: 'wk' },
];

/** The unit a dose of this form is usually counted in. */
function unitForForm(form: DoseForm, strength: Strength): DoseUnit {
  switch (form) {
    case 'tablet': case 'orodispersible-tablet': case 'effervescent-tablet': case 'sublingual-tablet': return 'tablet';
    case 'capsule': return 'capsule';
    case 'inhaler': case 'sublingual-spray': case 'nasal-spray': return 'puff';
    case 'oral-liquid': case 'nebuliser-solution': return 'mL';
    case 'oral-drops': case 'eye-drops': case 'ear-drops': return 'drop';
    case 'oral-powder': return 'sachet';
    case 'suppository': return 'suppository';
    case 'transdermal-patch': return 'patch';
    case 'cream': case 'ointment': case 'gel': case 'lotion': case 'vaginal': return 'application';
    case 'injection': return strength.unit === 'U/mL' ? 'U' : strength.unit === 'IU/mL' ? 'IU' : strength.unit === 'mcg/mL' ? 'mcg' : 'mg';
  }
}

/** Which overridden alerts are recorded as a DetectedIssue: the contraindicated and serious ones (a caution only informs). */
const recorded = (alert: Alert): boolean => alert.severity !== 'caution';

type Choice = Readonly<{ form: number; strength: number }>;

/**
 * A medication order (MedicationRequest, active, intent order), coded from the dictionary when the
 * medicine is in it (RxNorm + ATC) and otherwise marked "not checked", with a structured dosage
 * (FHIR Dosage and its words in the clinician's language). Before it is saved it is checked,
 * offline, against every current medication of the patient (pending orders included) and every
 * active allergy. A contraindication blocks the save until the clinician cancels or overrides
 * with a reason; each contraindicated or serious alert overridden is saved with the order as a
 * DetectedIssue (and audited as its creation). A dose ten times the usual maximum is stopped.
 * For a patient recorded as deceased the order waits for a confirmation that says so.
 */
export function MedicationOrderForm(
  props: Readonly<{ patient: string; language: Language; deceased?: boolean; medications: readonly MedicationItem[]; allergies: readonly AllergyItem[] }>,
) {
  const { patient, language, deceased = false } = props;
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const { outcome, save, reset } = useSaveEdits(patient);
  const [text, setText] = useState('');
  const [chosen, setChosen] = useState<Ingredient | null>(null);
  const [choice, setChoice] = useState<Choice | null>(null);
  const [dose, setDose] = useState('');
  const [unit, setUnit] = useState<DoseUnit>('tablet');
  const [route, setRoute] = useState<Route>('oral');
  const [frequencyId, setFrequencyId] = useState('d1');
  const [duration, setDuration] = useState('');
  const [asNeeded, setAsNeeded] = useState(false);
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const [confirmedDeceased, setConfirmedDeceased] = useState(false);
  const [doseStop, setDoseStop] = useState<string | null>(null);
  const [alerts, setAlerts] = useState<readonly Alert[] | null>(null);
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const orderId = useRef<string | null>(null);

  const { base } = medicationKnowledge();
  // The chosen ingredient, or the one the typed text names exactly (a name or a brand of one ingredient).
  const exact = chosen === null ? (base.dictionary.byName.get(fold(text)) ?? []) : [];
  const ingredient = chosen ?? (exact.length === 1 ? (exact[0] as Ingredient) : null);
  const form = ingredient !== null && choice !== null ? ingredient.forms[choice.form] : undefined;
  const strength = form?.strengths[choice?.strength ?? 0] ?? null;

  const parsedDose = Number(dose.replace(',', '.'));
  const doseValid = dose.trim() !== '' && Number.isFinite(parsedDose) && parsedDose > 0;
  const parsedDuration = Number(duration);
  const durationValid = duration.trim() === '' || (Number.isInteger(parsedDuration) && parsedDuration > 0 && parsedDuration <= 3650);

  const clearDecision = (): void => {
    setAlerts(null);
    setReason('');
    setReasonMissing(false);
    setDoseStop(null);
    reset();
  };
  const clearAll = (): void => {
    setTried(false);
    setText('');
    setChosen(null);
    setChoice(null);
    setDose('');
    setDuration('');
    setAsNeeded(false);
    setNote('');
    setConfirmedDeceased(false);
    setAlerts(null);
    setReason('');
    setReasonMissing(false);
    setDoseStop(null);
    orderId.current = null;
  };

  const chooseIngredient = (next: Ingredient): void => {
    clearDecision();
    setChosen(next);
    setText(next.name[language]);
    const first = next.forms[0];
    if (first) {
      setChoice({ form: 0, strength: 0 });
      setRoute(first.route);
      setUnit(unitForForm(first.form, first.strengths[0] as Strength));
    }
  };
  const chooseForm = (value: string): void => {
    clearDecision();
    if (ingredient === null || value === '') {
      setChoice(null);
      return;
    }
    const [f, s] = value.split(':').map(Number) as [number, number];
    const nextForm = ingredient.forms[f];
    if (!nextForm) return;
    setChoice({ form: f, strength: s });
    setRoute(nextForm.route);
    setUnit(unitForForm(nextForm.form, nextForm.strengths[s] as Strength));
  };

  const strengthText = (s: Strength): string => `${formatNumber(s.value, language, 3)} ${s.unit}`;
  const unitText = (u: DoseUnit, count: number): string => t(`charting.medication.unit.${u}`, { count });

  const dosageInput = (): DosageInput => {
    const frequency = frequencies.find((f) => f.id === frequencyId) ?? (frequencies[0] as (typeof frequencies)[number]);
    return {
      dose: parsedDose,
      unit,
      route,
      frequency: frequency.frequency,
      period: frequency.period,
      periodUnit: frequency.periodUnit,
      durationDays: duration.trim() === '' ? null : parsedDuration,
      asNeeded,
    };
  };

  const order = (input: DosageInput, id: string) => {
    const dosage = toFhirDosage(input, { unit: unitText(input.unit, input.dose), route: t(`charting.medication.route.${input.route}`) });
    const words = structuredDosageText(dosage as Record<string, unknown>, language, (key, options) => t(key, { ...options }));
    return medicationOrder(
      {
        name: ingredient !== null ? ingredient.name[language] : text,
        codings: ingredient !== null ? codingsOf(ingredient) : [],
        dosage: { ...dosage, text: words },
        note,
      },
      { patient, practitioner: workspace.owner.practitioner, now: new Date().toISOString(), newId: () => id },
    );
  };

  const commit = async (overridden: readonly Alert[]): Promise<void> => {
    const id = orderId.current ?? window.crypto.randomUUID();
    orderId.current = id;
    const now = new Date().toISOString();
    const writes: Write[] = [{ op: 'create', resource: order(dosageInput(), id) }];
    for (const alert of overridden.filter(recorded)) {
      const issue = detectedIssueFor(alert, { reason: reason.trim() || t('medication.acknowledged'), language }, { id: window.crypto.randomUUID(), patient, practitioner: workspace.owner.practitioner, now });
      writes.push({ op: 'create', resource: issue });
    }
    if (await save(writes)) clearAll();
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setTried(true);
    if (text.trim() === '' || !doseValid || !durationValid) return;
    if (deceased && !confirmedDeceased) return;
    const input = dosageInput();
    if (ingredient !== null) {
      const verdict = plausibility(input, ingredient, strength);
      if (verdict.kind === 'implausible') {
        setDoseStop(
          t('charting.medication.implausible', {
            daily: `${formatNumber(verdict.daily, language, 2)} ${verdict.unit}`,
            max: `${formatNumber(verdict.max, language, 2)} ${verdict.unit}`,
          }),
        );
        return;
      }
    }
    setDoseStop(null);
    orderId.current ??= window.crypto.randomUUID();
    const found = checkOrder(
      base,
      { key: `MedicationRequest/${orderId.current}`, label: ingredient !== null ? ingredient.name[language] : text.trim(), ingredients: ingredient !== null ? [ingredient.id] : (matchMedication(base.dictionary, { text })?.ingredients ?? []).map((i) => i.id), origin: 'new' },
      medicationEntries(base, props.medications),
      allergyEntries(base, props.allergies),
    );
    if (found.length > 0) {
      setAlerts(found);
      return;
    }
    await commit([]);
  };

  const contraindicated = alerts?.some((a) => a.severity === 'contraindicated') ?? false;
  const override = async (): Promise<void> => {
    if (alerts === null) return;
    if (contraindicated && reason.trim() === '') {
      setReasonMissing(true);
      return;
    }
    await commit(alerts);
  };

  const formOptions = ingredient?.forms.flatMap((f, fi) => f.strengths.map((s, si) => ({ value: `${fi}:${si}`, label: `${t(`charting.medication.form.${f.form}`)} — ${strengthText(s)}` }))) ?? [];
  const frozen = alerts !== null;

  return (
    <form className="charting-form" autoComplete="off" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="medication-form-title">
      <h3 id="medication-form-title">{t('charting.medication.title')}</h3>
      <fieldset className="charting-form__grid" disabled={frozen}>
        <Field
          label={t('charting.medication.name')}
          hint={ingredient === null && text.trim() !== '' ? t('charting.medication.notChecked') : ingredient !== null ? t('charting.medication.coded', { atc: ingredient.atc[0] ?? '' }) : undefined}
          error={tried && text.trim() === '' ? t('charting.medication.missingName') : null}
        >
          {({ id, describedBy, invalid }) => (
            <Combobox
              id={id}
              describedBy={describedBy}
              invalid={invalid}
              listLabel={t('charting.medication.suggestions')}
              text={text}
              options={chosen !== null ? [] : searchDictionary(base.dictionary, text, language).map((hit) => ({
                key: hit.ingredient.id,
                label: hit.matched.kind === 'brand' ? `${hit.matched.text} → ${hit.ingredient.name[language]}` : hit.ingredient.name[language],
              }))}
              onText={(next) => {
                clearDecision();
                setChosen(null);
                setChoice(null);
                setText(next);
              }}
              onChoose={(key) => {
                const next = base.dictionary.byId.get(key);
                if (next) chooseIngredient(next);
              }}
            />
          )}
        </Field>
        {ingredient !== null && (
          <Field label={t('charting.medication.formStrength')}>
            {({ id }) => (
              <select id={id} value={choice === null ? '' : `${choice.form}:${choice.strength}`} onChange={(e) => chooseForm(e.target.value)}>
                <option value="">{t('charting.medication.formUnset')}</option>
                {formOptions.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label={t('charting.medication.dose')} error={tried && !doseValid ? t('charting.medication.missingDose') : doseStop}>
          {({ id, describedBy, invalid }) => (
            <input id={id} inputMode="decimal" value={dose} aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(e) => { clearDecision(); setDose(e.target.value); }} />
          )}
        </Field>
        <Field label={t('charting.medication.unitLabel')}>
          {({ id }) => (
            <select id={id} value={unit} onChange={(e) => { clearDecision(); setUnit(e.target.value as DoseUnit); }}>
              {doseUnits.map((u) => (
                <option key={u} value={u}>
                  {unitText(u, 2)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('charting.medication.routeLabel')}>
          {({ id }) => (
            <select id={id} value={route} onChange={(e) => { clearDecision(); setRoute(e.target.value as Route); }}>
              {(Object.keys(routes) as Route[]).map((r) => (
                <option key={r} value={r}>
                  {t(`charting.medication.route.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('charting.medication.frequencyLabel')}>
          {({ id }) => (
            <select id={id} value={frequencyId} onChange={(e) => { clearDecision(); setFrequencyId(e.target.value); }}>
              {frequencies.map((f) => (
                <option key={f.id} value={f.id}>
                  {t(`charting.medication.frequency.${f.id}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('charting.medication.duration')} hint={t('charting.medication.durationHint')} error={tried && !durationValid ? t('charting.medication.badDuration') : null}>
          {({ id, describedBy, invalid }) => (
            <input id={id} inputMode="numeric" value={duration} aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(e) => { clearDecision(); setDuration(e.target.value); }} />
          )}
        </Field>
        <label className="charting-form__check">
          <input type="checkbox" checked={asNeeded} onChange={(e) => { clearDecision(); setAsNeeded(e.target.checked); }} /> {t('charting.medication.asNeeded')}
        </label>
        <Field label={t('charting.medication.note')}>{({ id }) => <input id={id} value={note} onChange={(e) => setNote(e.target.value)} />}</Field>
      </fieldset>
      {deceased && (
        <div className={`deceased-confirm${tried && !confirmedDeceased ? ' deceased-confirm--missing' : ''}`}>
          <p className="alert" role="alert">
            {t('charting.medication.deceasedWarning')}
          </p>
          <label>
            <input type="checkbox" checked={confirmedDeceased} onChange={(e) => setConfirmedDeceased(e.target.checked)} /> {t('charting.medication.deceasedConfirm')}
          </label>
        </div>
      )}
      {alerts !== null && (
        <section className={`order-check${contraindicated ? ' order-check--blocking' : ''}`} role="alert" aria-labelledby="order-check-title" data-testid="order-check">
          <h4 id="order-check-title">{contraindicated ? t('medication.order.blocked', { count: alerts.length }) : t('medication.order.warned', { count: alerts.length })}</h4>
          <AlertList alerts={alerts} language={language} label={t('medication.order.label')} />
          <Field
            label={contraindicated ? t('medication.order.reasonRequired') : t('medication.order.reasonOptional')}
            error={reasonMissing ? t('medication.order.reasonMissing') : null}
          >
            {({ id, describedBy, invalid }) => (
              <textarea id={id} rows={2} value={reason} aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(e) => { setReason(e.target.value); setReasonMissing(false); }} />
            )}
          </Field>
          <div className="order-check__actions">
            <button type="button" className="button" onClick={clearAll}>
              {t('medication.order.cancel')}
            </button>
            <button type="button" className="button button--danger" onClick={() => void override()} disabled={outcome.kind === 'saving'}>
              {t('medication.order.override')}
            </button>
          </div>
        </section>
      )}
      {alerts === null && (
        <button type="submit" className="button button--primary" disabled={outcome.kind === 'saving'}>
          {t('charting.medication.save')}
        </button>
      )}
      <SaveStatus outcome={outcome} />
    </form>
  );
}
