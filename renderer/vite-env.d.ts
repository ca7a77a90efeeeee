/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_RELAIS_VERSION?: string;
  readonly VITE_RELAIS_FHIR_BASE?: string;
  readonly VITE_RELAIS_IDENTIFIER_PRIORITY?: string;
  /** Dev and demo: the image viewer's address, `{studyUid}` marking the study (policy `imagingViewerUrl` in Electron). */
  readonly VITE_RELAIS_IMAGING_VIEWER?: string;
}
