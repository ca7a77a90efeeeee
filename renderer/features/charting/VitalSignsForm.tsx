import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import { useWorkspace } from '../../app/workspace-context';
import { formatNumber, unitLabel } from '../../i18n/format';
import { Field } from './Field';
import { useSaveEdits } from './save-edit';
import { SaveStatus } from './SaveStatus';
import { checkVitals, vitalDefinitions, vitalObservations, type VitalCheck, type VitalEntry, type VitalField } from './vital-signs';
import { useUnsavedInput } from '../../app/unsaved-input';

const fields: readonly VitalField[] = ['systolic', 'diastolic', 'heartRate', 'temperature', 'oxygenSaturation', 'weight', 'glucose'];

const labelKey: Readonly<Record<VitalField, string>> = {
  systolic: 'charting.vitals.systolic',
  diastolic: 'charting.vitals.diastolic',
  heartRate: 'charting.vitals.heartRate',
  temperature: 'charting.vitals.temperature',
  oxygenSaturation: 'charting.vitals.oxygenSaturation',
  weight: 'charting.vitals.weight',
  glucose: 'charting.vitals.glucose',
};

const problemKey: Readonly<Record<VitalCheck['problem'], string>> = {
  'not-a-number': 'charting.vitals.problem.not-a-number',
  'too-low': 'charting.vitals.problem.too-low',
  'too-high': 'charting.vitals.problem.too-high',
  'diastolic-above-systolic': 'charting.vitals.problem.diastolic-above-systolic',
  'half-a-pressure': 'charting.vitals.problem.half-a-pressure',
};

/** Units each language reads first: glucose in g/L in France, mmol/L in the UK. */
const defaultUnits = (language: Language): Readonly<Record<VitalField, string>> => ({
  systolic: 'mm[Hg]',
  diastolic: 'mm[Hg]',
  heartRate: '/min',
  temperature: 'Cel',
  oxygenSaturation: '%',
  weight: 'kg',
  glucose: language === 'fr' ? 'g/L' : 'mmol/L',
});

/** Vital signs with units, plausible ranges and LOINC codes; each measure becomes one Observation. */
export function VitalSignsForm({ patient, language }: Readonly<{ patient: string; language: Language }>) {
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const { outcome, save, reset } = useSaveEdits(patient);
  const [texts, setTexts] = useState<Readonly<Record<VitalField, string>>>({ systolic: '', diastolic: '', heartRate: '', temperature: '', oxygenSaturation: '', weight: '', glucose: '' });
  const [units, setUnits] = useState(() => defaultUnits(language));
  const [problems, setProblems] = useState<readonly VitalCheck[]>([]);
  const [empty, setEmpty] = useState(false);
  useUnsavedInput(Object.values(texts).some((value) => value.trim() !== ''));

  const entries = (): VitalEntry[] => fields.map((field) => ({ field, text: texts[field], unit: units[field] }));
  const problemText = (check: VitalCheck): string =>
    t(problemKey[check.problem], { min: formatNumber(check.min, language), max: formatNumber(check.max, language), unit: unitLabel(check.unit, check.unit, language) });

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const found = checkVitals(entries());
    setProblems(found);
    const filled = entries().filter((e) => e.text.trim() !== '');
    setEmpty(filled.length === 0);
    if (found.length > 0 || filled.length === 0) return;
    const resources = vitalObservations(entries(), {
      patient,
      practitioner: workspace.owner.practitioner,
      effective: new Date().toISOString(),
      newId: () => window.crypto.randomUUID(),
      labels: {
        bloodPressure: t('chart.vital.bloodPressure'),
        systolic: t('charting.vitals.systolic'),
        diastolic: t('charting.vitals.diastolic'),
        heartRate: t('chart.vital.heartRate'),
        temperature: t('chart.vital.temperature'),
        oxygenSaturation: t('chart.vital.oxygenSaturation'),
        weight: t('chart.vital.weight'),
        glucose: t('chart.vital.glucose'),
      },
    });
    if (await save(resources.map((resource) => ({ op: 'create', resource })))) {
      setTexts({ systolic: '', diastolic: '', heartRate: '', temperature: '', oxygenSaturation: '', weight: '', glucose: '' });
    }
  };

  return (
    <form className="charting-form" autoComplete="off" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="vitals-form-title">
      <h3 id="vitals-form-title">{t('charting.vitals.title')}</h3>
      <p className="hint">{t('charting.vitals.hint')}</p>
      <div className="charting-form__grid">
        {fields.map((field) => {
          const definition = vitalDefinitions[field];
          const problem = problems.find((p) => p.field === field);
          return (
            <Field key={field} label={t(labelKey[field])} error={problem ? problemText(problem) : null}>
              {({ id, describedBy, invalid }) => (
                <div className="field__row">
                  <input
                    id={id}
                    inputMode="decimal"
                    autoComplete="off"
                    value={texts[field]}
                    aria-describedby={describedBy}
                    aria-invalid={invalid || undefined}
                    onChange={(e) => {
                      reset();
                      setTexts({ ...texts, [field]: e.target.value });
                    }}
                  />
                  {definition.units.length > 1 ? (
                    <select aria-label={t('charting.vitals.unitOf', { name: t(labelKey[field]) })} value={units[field]} onChange={(e) => setUnits({ ...units, [field]: e.target.value })}>
                      {definition.units.map((u) => (
                        <option key={u.ucum} value={u.ucum}>
                          {unitLabel(u.ucum, u.unit, language)}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <span className="unit">{unitLabel(definition.units[0]?.ucum ?? null, definition.units[0]?.unit ?? '', language)}</span>
                  )}
                </div>
              )}
            </Field>
          );
        })}
      </div>
      {empty && (
        <p className="alert" role="alert">
          {t('charting.vitals.empty')}
        </p>
      )}
      {problems.length > 0 && (
        <p className="alert" role="alert">
          {t('charting.vitals.fix', { n: problems.length })}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={outcome.kind === 'saving'}>
        {t('charting.vitals.save')}
      </button>
      <SaveStatus outcome={outcome} />
    </form>
  );
}
