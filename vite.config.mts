import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { defaultWebFhirBase } from './renderer/host/web-defaults.ts';
import { contentSecurityPolicy } from './shared/security/csp.ts';

/**
 * The renderer build. Two modes, one code base:
 *   electron — what is packaged: `@relais/host` is the preload-bridge host; output dist/renderer.
 *   web      — dev and tests only, never packaged: the in-page web host; output dist/web.
 * The CSP is written into index.html as a <meta> (Electron's app:// handler also sends it as a header).
 */
const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

function cspMeta(connectSrc: readonly string[]): Plugin {
  return {
    name: 'relais-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy({ connectSrc }) },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/** The origins of the other sources a web build names (`VITE_RELAIS_SOURCES`); the app checks the list itself (web-config.ts). */
function sourceOrigins(configured: string | undefined): string[] {
  if (configured === undefined || configured.trim() === '') return [];
  try {
    const list: unknown = JSON.parse(configured);
    if (!Array.isArray(list)) return [];
    return list.flatMap((source: unknown) => {
      const base = typeof source === 'object' && source !== null ? (source as { fhirBase?: unknown }).fhirBase : undefined;
      if (typeof base !== 'string') return [];
      try {
        return [new URL(base).origin];
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

/**
 * Records the modules each output chunk carries (the page's and the workers'), for the release's
 * SBOM (build/release-check.mjs): written to .cache/shipped/, outside what is packaged.
 */
const shipped = new Map<string, Set<string>>();
function shippedModules(name: string): Plugin {
  // One set per name across the builds (each worker is a build of its own).
  const seen = shipped.get(name) ?? new Set<string>();
  shipped.set(name, seen);
  return {
    name: 'relais-shipped-modules',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) if (chunk.type === 'chunk') for (const id of chunk.moduleIds) seen.add(id);
      mkdirSync(here('./.cache/shipped'), { recursive: true });
      writeFileSync(here(`./.cache/shipped/${name}.json`), JSON.stringify([...seen].sort()));
    },
  };
}

export default defineConfig(({ mode }) => {
  const web = mode === 'web';
  const webFhirBase = process.env['VITE_RELAIS_FHIR_BASE'] ?? defaultWebFhirBase;
  const extra = (process.env['RELAIS_WEB_CONNECT_SRC'] ?? '').split(/\s+/).filter(Boolean);
  // The web host talks to its HIE from the page: that origin (and only it) joins connect-src.
  const hieOrigins = web ? [...new Set([new URL(webFhirBase).origin, ...sourceOrigins(process.env['VITE_RELAIS_SOURCES']), ...extra])] : [];
  return {
    root: here('./renderer'),
    base: '/',
    plugins: [react(), cspMeta(hieOrigins), ...(web ? [] : [shippedModules('renderer')])],
    resolve: {
      alias: {
        '@relais/host': here(web ? './renderer/host/web-host.ts' : './renderer/host/electron-host.ts'),
      },
    },
    // The data worker (renderer/data/data-worker.ts) is a module worker: its chunks stay ES modules.
    worker: { format: 'es', ...(web ? {} : { plugins: () => [shippedModules('renderer-workers')] }) },
    build: {
      // RELAIS_WEB_OUT_DIR: a second web build beside dist/web (the first-sync bench builds for its own HIE port).
      outDir: here(web ? (process.env['RELAIS_WEB_OUT_DIR'] ?? './dist/web') : './dist/renderer'),
      emptyOutDir: true,
      sourcemap: false,
      target: 'chrome130',
    },
    // The web host served for demos and tests gets the policy as headers too: a header is what can
    // forbid framing (frame-ancestors), and it holds even if the page's <meta> were stripped.
    preview: {
      host: '127.0.0.1',
      strictPort: true,
      headers: {
        'Content-Security-Policy': contentSecurityPolicy({ connectSrc: hieOrigins, header: true }),
        'X-Frame-Options': 'DENY',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      },
    },
  };
});
