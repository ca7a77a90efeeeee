import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { defaultIdentifierPriority } from '../../../shared/clinical/patient-identity';
import { importLimits } from '../../../shared/exchange/import-limits';
import type { Language } from '../../../shared/ipc/contract';
import { PortError } from '../../../shared/ipc/port-rpc';
import { useWorkspace } from '../../app/workspace-context';
import type { ImportPreview } from '../../data/document-import';
import { StorageFullError } from '../../db/storage-full';
import { formatDate } from '../../i18n/format';

/**
 * "Import a document": a FHIR Bundle (another system's IPS, a collection, a transaction) or a
 * C-CDA document added to this patient's chart, offline. The file is read in the data worker
 * (data/document-import.ts); the clinician sees what would be added, section by section, what is
 * already in the chart, what is left out, and the patient in the file beside the patient of the
 * chart, trait by trait. A mismatch blocks; no identifier in common needs an explicit "same
 * person". Confirmed, the records go through the outbox like any edit, with their Provenance.
 */
type Props = Readonly<{ patient: string; language: Language }>;
type Shown = Extract<ImportPreview, { ok: true }> & Readonly<{ fileName: string }>;
type Said =
  | Readonly<{ kind: 'refused'; code: string; fileName: string }>
  | Readonly<{ kind: 'imported'; added: number; fileName: string }>
  | Readonly<{ kind: 'failed'; code: string }>
  | null;

const shownLines = 30;

export function DocumentImport({ patient, language }: Props) {
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const input = useRef<HTMLInputElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const confirmId = useId();
  const [reading, setReading] = useState(false);
  const [preview, setPreview] = useState<Shown | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [saving, setSaving] = useState(false);
  const [said, setSaid] = useState<Said>(null);
  const [chosen, setChosen] = useState<Readonly<{ name: string; data: ArrayBuffer }> | null>(null);

  useEffect(() => {
    if (preview !== null) heading.current?.focus();
  }, [preview]);
  // Another chart: nothing of this one's preview stays on screen.
  useEffect(() => {
    setPreview(null);
    setSaid(null);
    setChosen(null);
  }, [patient]);

  /** Reads the file in the data worker (again, with the other date order, when the clinician asks). */
  const previewOf = async (file: Readonly<{ name: string; data: ArrayBuffer }>, dateOrder?: 'dmy' | 'mdy'): Promise<void> => {
    setSaid(null);
    setPreview(null);
    setConfirmed(false);
    setReading(true);
    try {
      // A copy crosses to the worker: the one kept here can be read again.
      const answer = await workspace.importPreview({ patient, fileName: file.name, data: file.data.slice(0), language, ...(dateOrder !== undefined ? { dateOrder } : {}) });
      if (!answer.ok) setSaid({ kind: 'refused', code: answer.code, fileName: file.name });
      else setPreview({ ...answer, fileName: file.name });
    } catch (error: unknown) {
      setSaid({ kind: 'failed', code: error instanceof PortError ? error.code : 'INTERNAL' });
    } finally {
      setReading(false);
    }
  };

  const read = async (file: File): Promise<void> => {
    if (input.current !== null) input.current.value = '';
    if (file.size > importLimits.maxBytes) {
      setPreview(null);
      setSaid({ kind: 'refused', code: 'too-large', fileName: file.name });
      return;
    }
    const chosenFile = { name: file.name, data: await file.arrayBuffer() };
    setChosen(chosenFile);
    await previewOf(chosenFile);
  };

  const commit = async (): Promise<void> => {
    if (preview === null) return;
    setSaving(true);
    try {
      const outcome = await workspace.importCommit(preview.id, confirmed);
      setSaid({ kind: 'imported', added: outcome.added, fileName: preview.fileName });
      setPreview(null);
    } catch (error: unknown) {
      setSaid({ kind: 'failed', code: error instanceof StorageFullError ? 'STORAGE_FULL' : error instanceof PortError ? error.code : 'INTERNAL' });
    } finally {
      setSaving(false);
    }
  };

  const blocked = preview !== null && (preview.verdict === 'mismatch' || preview.verdict === 'unverifiable');
  const canSave = preview !== null && !blocked && preview.added > 0 && (preview.verdict === 'match' || confirmed) && !saving;
  const readings = preview?.readings ?? null;
  // An identifier's system by the label the chart gives it (INS, NHS, IPP…), else as the file writes it.
  const systemLabel = (system: string | null): string => defaultIdentifierPriority.find((r) => r.system !== undefined && r.system === system)?.label ?? system ?? '';
  const value = (trait: string, text: string | null): string => (text === null ? t('import.identity.absent') : trait === 'birthDate' ? formatDate(text, language) : trait === 'sex' ? t(`import.sex.${text}`) : text);

  return (
    <div className="document-import">
      <button type="button" className="button" onClick={() => input.current?.click()} disabled={reading}>
        {reading ? t('import.reading') : t('import.choose')}
      </button>
      <input ref={input} type="file" hidden autoComplete="off" accept=".json,.xml,.csv,application/json,application/fhir+json,text/xml,application/xml,text/csv" aria-label={t('import.choose')} onChange={(e) => {
        const file = e.currentTarget.files?.[0];
        if (file !== undefined) void read(file);
      }} />
      {said?.kind === 'refused' && (
        <p className="alert" role="alert" data-refused={said.code}>
          {t(`import.refused.${said.code}`, { file: said.fileName, defaultValue: t('import.refused.unknown-format', { file: said.fileName }) })}
        </p>
      )}
      {said?.kind === 'failed' && (
        <p className="alert" role="alert" data-failed={said.code}>
          {t(`import.failed.${said.code}`, { defaultValue: t('import.failed.INTERNAL') })}
        </p>
      )}
      {said?.kind === 'imported' && (
        <p role="status" className="notice">
          {t('import.done', { count: said.added, file: said.fileName })}
        </p>
      )}
      {preview !== null && (
        <section className="import-preview" aria-labelledby="import-preview-heading">
          <h3 id="import-preview-heading" ref={heading} tabIndex={-1}>
            {t('import.previewTitle', { file: preview.fileName })}
          </h3>
          <p className="hint">
            {[preview.format === 'ccda' ? 'HL7 C-CDA' : preview.format === 'csv' ? (preview.kind === 'withings' ? 'Withings Health Mate (CSV)' : 'CSV') : `FHIR Bundle (${preview.kind})`, preview.title, preview.author, preview.date === null ? null : formatDate(preview.date.slice(0, 10), language)]
              .filter((p) => p !== null && p !== '')
              .join(' · ')}
          </p>
          {readings !== null && (
            <div className="import-preview__readings">
              <p>
                {t(readings.assumed ? 'import.readings.assumed' : 'import.readings.order', { order: t(`import.readings.${readings.dateOrder}`) })}{' '}
                {readings.assumed && chosen !== null && (readings.dateOrder === 'dmy' || readings.dateOrder === 'mdy') && (
                  <button type="button" className="button button--quiet" onClick={() => void previewOf(chosen, readings.dateOrder === 'dmy' ? 'mdy' : 'dmy')}>
                    {t('import.readings.switch', { order: t(`import.readings.${readings.dateOrder === 'dmy' ? 'mdy' : 'dmy'}`) })}
                  </button>
                )}
              </p>
              {readings.problems.length > 0 && (
                <p className="notice" role="note">
                  {t('import.readings.problems', { count: readings.problems.length, lines: readings.problems.slice(0, 20).map((p) => t(`import.readings.problem.${p.problem}`, { line: p.line })).join(' ; ') })}
                </p>
              )}
              {readings.ignored.length > 0 && <p className="hint">{t('import.readings.ignored', { columns: readings.ignored.join(', ') })}</p>}
            </div>
          )}
          {preview.identity.length > 0 && (
          <table className="import-identity">
            <caption>{t('import.identity.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('import.identity.trait')}</th>
                <th scope="col">{t('import.identity.file')}</th>
                <th scope="col">{t('import.identity.chart')}</th>
                <th scope="col">{t('import.identity.verdict')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.identity.map((row, i) => (
                <tr key={`${row.trait}-${row.system ?? ''}-${i}`} data-trait={row.trait} data-verdict={row.verdict}>
                  <th scope="row">{row.trait === 'identifier' ? t('import.identity.identifier', { system: systemLabel(row.system) }) : t(`import.identity.${row.trait}`)}</th>
                  <td>{value(row.trait, row.file)}</td>
                  <td>{value(row.trait, row.chart)}</td>
                  <td className={row.verdict === 'different' ? 'import-identity--different' : undefined}>{t(`import.verdict.${row.verdict}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          )}
          {blocked ? (
            <p className="alert" role="alert" data-verdict={preview.verdict}>
              {t(`import.blocked.${preview.verdict}`)}
            </p>
          ) : preview.verdict === 'confirm' || preview.verdict === 'readings' ? (
            <p className="notice" data-verdict={preview.verdict}>
              <input id={confirmId} type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.currentTarget.checked)} />{' '}
              <label htmlFor={confirmId}>{t(preview.verdict === 'readings' ? 'import.confirmReadings' : 'import.confirmSame')}</label>
            </p>
          ) : (
            <p className="notice" data-verdict="match">
              {t('import.matched')}
            </p>
          )}
          <p>{blocked ? t('import.countsBlocked', { count: preview.added + preview.duplicates }) : t('import.counts', { count: preview.added, added: preview.added, duplicates: preview.duplicates })}</p>
          {preview.sections.map((section) => {
            const added = section.items.filter((i) => !i.duplicate);
            const already = section.items.length - added.length;
            return (
              <section key={section.key} className="import-preview__section" data-section={section.key}>
                <h4>
                  {t(`import.section.${section.key}`)} — {t('import.sectionCounts', { added: added.length, already })}
                </h4>
                <ul>
                  {section.items.slice(0, shownLines).map((item, i) => (
                    <li key={i} className={item.duplicate ? 'hint' : undefined}>
                      {item.line} {item.duplicate && <span className="tag tag--info">{t('import.already')}</span>}
                    </li>
                  ))}
                </ul>
                {section.items.length > shownLines && <p className="hint">{t('import.more', { count: section.items.length - shownLines })}</p>}
              </section>
            );
          })}
          {preview.leftOut.length > 0 && (
            <div className="import-preview__left-out">
              <h4>{t('import.leftOutTitle')}</h4>
              <ul>
                {preview.leftOut.map((l) => (
                  <li key={`${l.type}-${l.reason}`}>{t(`import.leftOut.${l.reason}`, { count: l.count, type: l.type })}</li>
                ))}
              </ul>
            </div>
          )}
          {preview.namesOnly > 0 && <p className="hint">{t('import.namesOnly', { count: preview.namesOnly })}</p>}
          <div className="import-preview__actions">
            <button type="button" className="button button--primary" disabled={!canSave} onClick={() => void commit()}>
              {saving ? t('import.saving') : t('import.save', { count: preview.added })}
            </button>
            <button type="button" className="button" onClick={() => setPreview(null)}>
              {t('import.cancel')}
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
