import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import { checkOrder, type Alert, type MedicationEntry } from '../../../shared/medication/checks';
import { codingsOf, componentsOf, fold, matchMedication, searchDictionary } from '../../../shared/medication/dictionary';
import { detectedIssueFor } from '../../../shared/medication/detected-issue';
import { doseUnits, plausibility, toFhirDosage, type DoseUnit, type DosageInput, type PeriodUnit } from '../../../shared/medication/dosage';
import { medicationKnowledge } from '../../../shared/medication/knowledge';
import { localRoutes, routes, type DoseForm, type Ingredient, type Route, type Strength } from '../../../shared/medication/knowledge-schema';
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
import { useUnsavedInput } from '../../app/unsaved-input';

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
/** Where a medicine given by this route acts: no systemic rule applies to one that stays where it is applied (`localRoutes`). */
const appliedAt = (route: Route): 'systemic' | 'skin' | 'eye-ear' => (!localRoutes.includes(route) ? 'systemic' : route === 'cutaneous' ? 'skin' : 'eye-ear');
/** An alert's identity, to tell whether a re-check found the same set. */
const alertKey = (a: Alert): string =>
  a.kind === 'interaction' ? `i:${a.rule.id}:${a.second.key}` : a.kind === 'duplication' ? `d:${a.atcGroup}:${a.second.key}` : `${a.kind}:${a.allergy.key}:${a.severity}`;

type Choice = Readonly<{ form: number; strength: number }>;

/**
 * A medication order (MedicationRequest, active, intent order), coded from the dictionary when the
 * medicine is in it (RxNorm + the ATC code that fits the route; a combination product by its
 * combination code, checked as each of its ingredients) and otherwise marked "not checked", with a
 * structured dosage (FHIR Dosage and its words in the clinician's language). Checked, offline,
 * against every current medication of the patient (pending orders included) and every active
 * allergy: cautions show beside the form and do not stop it; a serious alert or a contraindication
 * stops the save until the clinician cancels or goes on — with a reason for a contraindication —
 * and each such alert gone past is saved with the order as a DetectedIssue the order points to
 * (and audited as its creation). A dose ten times the usual maximum, or a weekly medicine ordered
 * daily, is stopped. For a patient recorded as deceased the order waits for a confirmation.
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
  useUnsavedInput(text.trim() !== '' || chosen !== null || dose.trim() !== '' || duration.trim() !== '' || note.trim() !== '' || reason.trim() !== '');
  // Kept from the first attempt until the order is saved or cancelled, so a retry after a failed
  // save writes the same order and the same DetectedIssues, never a second copy.
  const planned = useRef<{ order: string; issues: Map<string, string> } | null>(null);
  const checkHeading = useRef<HTMLHeadingElement>(null);
  const medicineField = useRef<HTMLInputElement | null>(null);

  const { base } = medicationKnowledge();
  // The chosen entry, or the one the typed text names exactly (a name or a brand of one entry).
  const exact = chosen === null ? (base.dictionary.byName.get(fold(text)) ?? []) : [];
  const ingredient = chosen ?? (exact.length === 1 ? (exact[0] as Ingredient) : null);
  const form = ingredient !== null && choice !== null ? ingredient.forms[choice.form] : undefined;
  const strength = form?.strengths[choice?.strength ?? 0] ?? null;

  const parsedDose = Number(dose.replace(',', '.'));
  const doseValid = dose.trim() !== '' && Number.isFinite(parsedDose) && parsedDose > 0;
  const parsedDuration = Number(duration);
  const durationValid = duration.trim() === '' || (Number.isInteger(parsedDuration) && parsedDuration > 0 && parsedDuration <= 3650);

  useEffect(() => {
    if (alerts !== null) checkHeading.current?.focus();
  }, [alerts]);

  const clearDecision = (): void => {
    setAlerts(null);
    setReason('');
    setReasonMissing(false);
    setDoseStop(null);
    planned.current = null;
    reset();
  };
  const clearAll = (): void => {
    setTried(false);
    setText('');
    setChosen(null);
    setChoice(null);
    setDose('');
    setUnit('tablet');
    setRoute('oral');
    setFrequencyId('d1');
    setDuration('');
    setAsNeeded(false);
    setNote('');
    setConfirmedDeceased(false);
    setAlerts(null);
    setReason('');
    setReasonMissing(false);
    setDoseStop(null);
    planned.current = null;
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
    const [f, si] = value.split(':').map(Number) as [number, number];
    const nextForm = ingredient.forms[f];
    if (!nextForm) return;
    setChoice({ form: f, strength: si });
    setRoute(nextForm.route);
    setUnit(unitForForm(nextForm.form, nextForm.strengths[si] as Strength));
  };

  const strengthText = (st: Strength): string => `${formatNumber(st.value, language, 3)} ${st.unit}`;
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

  /** The order as the checks see it: its entry's ingredients (a combination's), or a name the dictionary reads in free text. */
  const orderEntry = (id: string): MedicationEntry => ({
    key: `MedicationRequest/${id}`,
    label: ingredient !== null ? ingredient.name[language] : text.trim(),
    ingredients: (ingredient !== null ? componentsOf(base.dictionary, ingredient) : (matchMedication(base.dictionary, { text })?.ingredients ?? [])).map((i) => i.id),
    origin: 'new',
    local: appliedAt(route) !== 'systemic',
  });
  // The patient's medications and allergies as the checks see them: read once per change of the chart, not per keystroke.
  const current = useMemo(() => medicationEntries(base, props.medications), [base, props.medications]);
  const allergyList = useMemo(() => allergyEntries(base, props.allergies), [base, props.allergies]);
  const check = (id: string): Alert[] => checkOrder(base, orderEntry(id), current, allergyList);
  // Cautions show beside the form as it is filled; they never stop it.
  const cautions = useMemo(
    () => (text.trim() === '' ? [] : check('draft').filter((a) => a.severity === 'caution')),
    // `check` reads exactly these.
    [text, ingredient, route, current, allergyList, language],
  );

  const order = (input: DosageInput, id: string, issues: readonly string[]) => {
    const dosage = toFhirDosage(input, { unit: unitText(input.unit, input.dose), route: t(`charting.medication.route.${input.route}`) });
    const words = structuredDosageText(dosage as Record<string, unknown>, language, (key, options) => t(key, { ...options }));
    // What was ordered, in words: the medicine, and the strength and form chosen.
    const name = ingredient !== null ? ingredient.name[language] : text.trim();
    const described = form !== undefined && strength !== null ? `${name} ${strengthText(strength)}, ${t(`charting.medication.form.${form.form}`)}` : name;
    return medicationOrder(
      { name: described, codings: ingredient !== null ? codingsOf(ingredient, appliedAt(input.route)) : [], dosage: { ...dosage, text: words }, note, detectedIssues: issues },
      { patient, practitioner: workspace.owner.practitioner, now: new Date().toISOString(), newId: () => id },
    );
  };

  const commit = async (overridden: readonly Alert[]): Promise<void> => {
    const plan = planned.current ?? { order: window.crypto.randomUUID(), issues: new Map<string, string>() };
    planned.current = plan;
    const now = new Date().toISOString();
    const issues = overridden.filter(recorded).map((alert) => {
      const key = alertKey(alert);
      const id = plan.issues.get(key) ?? window.crypto.randomUUID();
      plan.issues.set(key, id);
      return detectedIssueFor(alert, { reason: reason.trim() || t('medication.acknowledged'), language }, { id, patient, practitioner: workspace.owner.practitioner, now });
    });
    const writes: Write[] = [{ op: 'create', resource: order(dosageInput(), plan.order, issues.map((i) => `DetectedIssue/${i.id}`)) }, ...issues.map((issue) => ({ op: 'create' as const, resource: issue }))];
    if (await save(writes, { retryable: true })) clearAll();
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setTried(true);
    if (text.trim() === '' || !doseValid || !durationValid) return;
    if (deceased && !confirmedDeceased) return;
    const input = dosageInput();
    if (ingredient !== null) {
      const verdict = plausibility(input, ingredient, strength);
      if (verdict.kind === 'weekly') {
        setDoseStop(t('charting.medication.weeklyOnly', { name: ingredient.name[language] }));
        return;
      }
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
    planned.current ??= { order: window.crypto.randomUUID(), issues: new Map() };
    const found = check(planned.current.order);
    if (found.some((a) => a.severity !== 'caution')) {
      setAlerts(found);
      return;
    }
    await commit([]);
  };

  const contraindicated = alerts?.some((a) => a.severity === 'contraindicated') ?? false;
  const override = async (): Promise<void> => {
    if (alerts === null || planned.current === null) return;
    // The record may have changed since the alerts were shown (a sync, an allergy just added): the
    // clinician goes past the alerts as they are now, never past older ones.
    const now = check(planned.current.order);
    if (now.map(alertKey).sort().join('|') !== alerts.map(alertKey).sort().join('|')) {
      setAlerts(now);
      return;
    }
    if (contraindicated && reason.trim() === '') {
      setReasonMissing(true);
      return;
    }
    await commit(alerts);
  };
  const cancel = (): void => {
    clearAll();
    medicineField.current?.focus();
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
              inputRef={medicineField}
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
        <section className={`order-check${contraindicated ? ' order-check--blocking' : ''}`} aria-labelledby="order-check-title" data-testid="order-check">
          {/* Focus lands on the heading, which is announced; the list, the reason and the buttons follow it. */}
          <div role="alert">
            <h4 id="order-check-title" ref={checkHeading} tabIndex={-1}>
              {contraindicated ? t('medication.order.blocked', { count: alerts.length }) : t('medication.order.warned', { count: alerts.length })}
            </h4>
          </div>
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
            <button type="button" className="button" onClick={cancel}>
              {t('medication.order.cancel')}
            </button>
            <button type="button" className="button button--danger" onClick={() => void override()} disabled={outcome.kind === 'saving'}>
              {t('medication.order.override')}
            </button>
          </div>
        </section>
      )}
      {alerts === null && cautions.length > 0 && (
        <div className="order-cautions" role="status" data-testid="order-cautions">
          <AlertList alerts={cautions} language={language} label={t('medication.order.cautions')} />
        </div>
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
