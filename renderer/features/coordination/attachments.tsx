import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppState } from '../../app/shell-context';
import { useWorkspace } from '../../app/workspace-context';
import { formatNumber } from '../../i18n/format';

/** A file chosen for a message: FHIR Attachment fields (base64 data). */
export type ChosenFile = Readonly<{ contentType: string; data: string; title: string; size: number; creation: string }>;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * What a file may be called when saved: no path, no control or bidirectional-override character
 * (a right-to-left override makes "gpj.exe" read as "exe.jpg"), 120 characters at most.
 */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  let cleaned = name.replace(/[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069/\\:*?"<>|]+/g, '_').replace(/^\.+/, '').trim().slice(0, 120);
  // Windows drops trailing dots and spaces (what the name would become), and reserves some device names.
  cleaned = cleaned.replace(/[. ]+$/, '');
  if (cleaned === '') return 'piece-jointe';
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(cleaned)) cleaned = `_${cleaned}`;
  // A program or script a colleague's system sent is never saved as one: it would run when opened.
  if (/\.(exe|com|scr|pif|bat|cmd|ps1|vbs|vbe|js|jse|wsf|wsh|hta|msi|msp|lnk|jar|app|sh|command|dmg|pkg|deb|rpm|reg|cpl|scf|url|desktop)$/i.test(cleaned)) cleaned = `${cleaned}.txt`;
  return cleaned;
}

/** Checks a file against IT's limit; reads it only when it fits. */
export async function readChosenFile(file: File, maxBytes: number): Promise<ChosenFile | 'too-large' | 'forbidden'> {
  if (maxBytes === 0) return 'forbidden';
  if (file.size > maxBytes) return 'too-large';
  const data = toBase64(new Uint8Array(await file.arrayBuffer()));
  return { contentType: file.type === '' ? 'application/octet-stream' : file.type, data, title: safeFileName(file.name), size: file.size, creation: new Date().toISOString() };
}

const megabytes = (bytes: number, language: 'fr' | 'en'): string => formatNumber(bytes / (1024 * 1024), language, 1);

/** The file input of a message, with IT's size limit said before a file is chosen and checked after. */
export function AttachmentField(props: Readonly<{ id: string; value: ChosenFile | null; onChange(file: ChosenFile | null): void }>) {
  const { t } = useTranslation();
  const language = useAppState((s) => s.language);
  const max = useAppState((s) => s.messageAttachmentMaxBytes);
  const [problem, setProblem] = useState<'too-large' | null>(null);
  const input = useRef<HTMLInputElement>(null);
  // The latest choice: a slower read of an earlier file must not replace it.
  const choice = useRef(0);
  useEffect(() => {
    // Sent or cleared: the input shows no file any more.
    if (props.value === null && input.current !== null) input.current.value = '';
  }, [props.value]);
  if (max === 0) return <p className="hint">{t('messages.attachmentsOff')}</p>;
  return (
    <div className="field">
      <label htmlFor={props.id}>{t('messages.attach', { max: megabytes(max, language) })}</label>
      <input
        id={props.id}
        ref={input}
        type="file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          const mine = (choice.current += 1);
          setProblem(null);
          if (file === undefined) return props.onChange(null);
          void readChosenFile(file, max).then((chosen) => {
            if (choice.current !== mine) return;
            if (chosen === 'too-large' || chosen === 'forbidden') {
              setProblem('too-large');
              e.target.value = '';
              props.onChange(null);
            } else props.onChange(chosen);
          });
        }}
      />
      {problem !== null && <p className="alert" role="alert">{t('messages.tooLarge', { max: megabytes(max, language) })}</p>}
      {props.value !== null && <p className="hint">{t('messages.attached', { title: props.value.title, size: megabytes(props.value.size, language) })}</p>}
    </div>
  );
}

/**
 * Saves a message's attachment as a file (never shown inside the app: what a colleague's system
 * sent is opened by the OS's own viewer, outside the page).
 */
export function SaveAttachment(props: Readonly<{ message: string; index: number; title: string }>) {
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const [failed, setFailed] = useState(false);
  const save = async (): Promise<void> => {
    try {
      const entry = await workspace.replica.getResource(props.message);
      const attachments = (Array.isArray(entry?.resource?.['payload']) ? (entry.resource['payload'] as unknown[]) : [])
        .map((p) => (typeof p === 'object' && p !== null ? (p as Record<string, unknown>)['contentAttachment'] : undefined))
        .filter((a): a is Record<string, unknown> => typeof a === 'object' && a !== null);
      const attachment = attachments[props.index];
      const data = typeof attachment?.['data'] === 'string' ? attachment['data'] : null;
      if (data === null) throw new Error('no data');
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      // Saved as bytes, whatever type the sender declared: the page never renders it.
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = safeFileName(props.title);
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      setFailed(true);
    }
  };
  return (
    <>
      <button type="button" className="button button--small" onClick={() => void save()}>
        {t('messages.saveAttachment', { title: props.title })}
      </button>
      {failed && <span className="alert" role="alert">{t('messages.attachmentUnavailable')}</span>}
    </>
  );
}
