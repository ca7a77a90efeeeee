import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FhirResource } from '../../../shared/fhir/resource';
import { displayText, isRecord } from '../../../shared/fhir/fhir-text';
import { OriginNote } from './Origin';

/**
 * Every element of a resource, as the HIE sent it, as text: nothing in the record is hidden from
 * the clinician who needs it, even what the chart does not interpret. Values are shown as plain
 * text (React escapes them); a narrative or an attachment's data is named, not rendered here.
 */
type Line = Readonly<{ path: string; value: string }>;

// `meta` is shown too (its source system, version, time, tags and security labels): only the type and id, shown as the reference, are not repeated.
const skipped = new Set(['resourceType', 'id']);

function flatten(value: unknown, path: string, out: Line[], budget: { left: number }): void {
  if (budget.left <= 0) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => flatten(item, value.length > 1 ? `${path}[${i + 1}]` : path, out, budget));
    return;
  }
  if (isRecord(value)) {
    // A coding reads as one line: display (system code).
    if (typeof value['code'] === 'string' && (typeof value['system'] === 'string' || typeof value['display'] === 'string') && Object.keys(value).every((k) => ['system', 'code', 'display', 'version', 'userSelected'].includes(k))) {
      const display = displayText(value['display']);
      out.push({ path, value: `${display === '' ? '' : `${display} `}(${displayText(value['system'], 120)} ${displayText(value['code'], 80)})`.trim() });
      budget.left -= 1;
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (path === '' && skipped.has(key)) continue;
      const childPath = path === '' ? key : `${path} › ${key}`;
      if (key === 'div' && typeof child === 'string') out.push({ path: childPath, value: '⟨XHTML⟩' });
      else if (key === 'data' && typeof child === 'string') out.push({ path: childPath, value: `⟨${Math.floor((child.length * 3) / 4)} B⟩` });
      else flatten(child, childPath, out, budget);
    }
    return;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    out.push({ path, value: typeof value === 'string' ? displayText(value, 2000) : String(value) });
    budget.left -= 1;
  }
}

export function resourceLines(resource: FhirResource, max = 400): readonly Line[] {
  const out: Line[] = [];
  flatten(resource, '', out, { left: max });
  return out;
}

export function ResourceDetails({ resource }: Readonly<{ resource: FhirResource }>) {
  const { t } = useTranslation();
  // Built when opened: a long chart has thousands of items, each with its details.
  const [open, setOpen] = useState(false);
  const lines = open ? resourceLines(resource) : [];
  // The system the record came from, as the HIE says (FHIR meta.source), first.
  const source = isRecord(resource.meta) ? displayText(resource.meta['source'], 300) : '';
  return (
    <>
    <OriginNote target={`${resource.resourceType}/${String(resource.id ?? '')}`} />
    <details className="record-details" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{t('chart.details.show')}</summary>
      {open && (
      <dl className="record-details__list">
        <div>
          <dt>{t('chart.details.reference')}</dt>
          <dd>
            <code>{`${resource.resourceType}/${String(resource.id ?? '')}`}</code>
          </dd>
        </div>
        {source !== '' && (
          <div>
            <dt>{t('chart.details.source')}</dt>
            <dd>{source}</dd>
          </div>
        )}
        {lines.map((line, i) => (
          <div key={`${i}-${line.path}`}>
            <dt>{line.path}</dt>
            <dd>{line.value}</dd>
          </div>
        ))}
      </dl>
      )}
    </details>
    </>
  );
}
