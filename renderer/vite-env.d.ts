/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_RELAIS_VERSION?: string;
  readonly VITE_RELAIS_FHIR_BASE?: string;
  readonly VITE_RELAIS_IDENTIFIER_PRIORITY?: string;
  /** Other FHIR sources (JSON, the policy's `sources`): renderer/host/web-config.ts `webSources`. */
  readonly VITE_RELAIS_SOURCES?: string;
  /** The systems that link patients across sources (JSON, the policy's \`linkIdentifierSystems\`). */
  readonly VITE_RELAIS_LINK_SYSTEMS?: string;
  /** Dev and demo: the image viewer's address, `{studyUid}` marking the study (policy `imagingViewerUrl` in Electron). */
  readonly VITE_RELAIS_IMAGING_VIEWER?: string;
}
