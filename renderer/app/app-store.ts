import { create } from 'zustand';
import { defaultMessageAttachmentMaxBytes, type IdentifierPriorityPolicy, type Language } from '../../shared/ipc/contract';
import { defaultIdentifierPriority, type IdentifierRule } from '../../shared/clinical/patient-identity';
import { defaultLinkIdentifierSystems } from '../../shared/exchange/source-policy';
import { idleChoices, type IdleBounds } from '../features/unlock/idle-lock';
import { minimumPassphraseLength } from '../features/unlock/passphrase-policy';

/** The shell's own state: network, language and IT's display policy. Clinical state lives in its feature's store. */
export type AppState = Readonly<{
  online: boolean;
  language: Language;
  /** The order of patient identifiers in lists and charts (policy, else the built-in order). */
  identifierPriority: readonly IdentifierRule[];
  /** The largest file a message may carry, in bytes (policy, else 1 MB; 0: none). */
  messageAttachmentMaxBytes: number;
  /** The image viewer's address (policy), `{studyUid}` marking the study; null: no viewer link. */
  imagingViewerUrl: string | null;
  /** The identifier systems that link one person's records across sources (policy, else INS and the NHS number). */
  linkIdentifierSystems: readonly string[];
  /** The idle-lock times a clinician may choose (policy `idleLockMaxMinutes` narrows them). */
  idleChoices: readonly number[];
  /** The shortest passphrase a clinician may choose (policy, never below 12). */
  passphraseMinLength: number;
  /** An i18n key of the last shell error, shown as a sentence; null when all is well. */
  errorKey: string | null;
  setOnline(online: boolean): void;
  setLanguage(language: Language): void;
  setError(errorKey: string | null): void;
}>;

export const createAppStore = (initial: Readonly<{ online: boolean; language: Language; identifierPriority?: IdentifierPriorityPolicy | null; messageAttachmentMaxBytes?: number | null; imagingViewerUrl?: string | null; linkIdentifierSystems?: readonly string[] | null; idleBounds?: IdleBounds; passphraseMinLength?: number | null }>) =>
  create<AppState>()((set) => ({
    online: initial.online,
    language: initial.language,
    identifierPriority: initial.identifierPriority ?? defaultIdentifierPriority,
    messageAttachmentMaxBytes: initial.messageAttachmentMaxBytes ?? defaultMessageAttachmentMaxBytes,
    imagingViewerUrl: initial.imagingViewerUrl ?? null,
    linkIdentifierSystems: initial.linkIdentifierSystems ?? defaultLinkIdentifierSystems,
    idleChoices: idleChoices(initial.idleBounds),
    passphraseMinLength: Math.max(initial.passphraseMinLength ?? minimumPassphraseLength, minimumPassphraseLength),
    errorKey: null,
    setOnline: (online) => set({ online }),
    setLanguage: (language) => set({ language }),
    setError: (errorKey) => set({ errorKey }),
  }));

export type AppStore = ReturnType<typeof createAppStore>;

/** Keeps `online` equal to the browser's view of the network, from its online/offline events. */
export function followNetwork(store: AppStore, target: Window): () => void {
  const update = (): void => store.getState().setOnline(target.navigator.onLine);
  target.addEventListener('online', update);
  target.addEventListener('offline', update);
  update();
  return () => {
    target.removeEventListener('online', update);
    target.removeEventListener('offline', update);
  };
}
