/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_RELAIS_VERSION?: string;
}
