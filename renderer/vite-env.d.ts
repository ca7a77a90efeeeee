/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_RELAIS_VERSION?: string;
  readonly VITE_RELAIS_FHIR_BASE?: string;
  readonly VITE_RELAIS_IDENTIFIER_PRIORITY?: string;
}
