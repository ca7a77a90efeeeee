import { useTranslation } from 'react-i18next';
import { imagingViewerLink, viewerOrigin } from '../../../../shared/security/external-links';
import { useAppState, useHost } from '../../../app/shell-context';
import { useWorkspace } from '../../../app/workspace-context';
import { studyUidOf, type RecordItem } from '../record-items';

/**
 * "Open in the image viewer": only when IT's policy names a viewer and the study carries a valid
 * DICOM UID; the link goes to the viewer's origin and nowhere else (checked here, and again by the
 * host, which opens it in the system browser), and written to the audit trail before it opens. No
 * image is handled in the app.
 */
export function ViewerLink({ study, patient }: Readonly<{ study: RecordItem; patient: string }>) {
  const { t } = useTranslation();
  const host = useHost();
  const workspace = useWorkspace();
  const template = useAppState((s) => s.imagingViewerUrl);
  const setError = useAppState((s) => s.setError);
  const origin = template === null ? null : viewerOrigin(template);
  const url = origin === null ? null : imagingViewerLink(template, studyUidOf(study.resource), [origin]);
  if (url === null) return null;
  const open = async (): Promise<void> => {
    try {
      // The study's identifier leaves the app for the viewer: in the audit trail first (BALP Export).
      await workspace.audit('export', patient);
      await host.openExternal(url);
      setError(null);
    } catch {
      setError('errors.openLink');
    }
  };
  return (
    <button type="button" className="button button--small" data-viewer={url} onClick={() => void open()}>
      {t('chart.results.openViewer', { title: study.title || t('chart.unnamed') })}
    </button>
  );
}
