import { type z } from 'zod';
import { linkIdentifierSystemsSchema, otherSourcesSchema, sourcesFrom, type FhirSource } from '../../shared/exchange/source-policy';
import { identifierPriorityPolicySchema, type IdentifierPriorityPolicy } from '../../shared/ipc/contract';
import { isSecureOrLoopback } from '../../shared/security/secure-url';
import { defaultWebFhirBase } from './web-defaults';

/**
 * The web host's HIE, from `VITE_RELAIS_FHIR_BASE` at build time (the same build also needs the
 * HIE origin in the CSP's connect-src: vite.config.mts reads RELAIS_WEB_CONNECT_SRC for that).
 * Only https URLs, or http on loopback, are taken; anything else falls back to the sandbox default.
 */
export function webFhirBase(configured: unknown = import.meta.env['VITE_RELAIS_FHIR_BASE']): string {
  if (typeof configured !== 'string' || configured.trim() === '') return defaultWebFhirBase;
  try {
    const url = new URL(configured.trim());
    // https, or plain http on this computer only (the sandbox): tokens never cross a network in clear.
    if (!isSecureOrLoopback(url)) return defaultWebFhirBase;
    return url.href.replace(/\/+$/, '');
  } catch {
    return defaultWebFhirBase;
  }
}

/** A policy value given as JSON at build time, checked by its policy schema; anything else is null (the built-in default). */
function buildJson<T>(configured: unknown, schema: z.ZodType<T>): T | null {
  if (typeof configured !== 'string' || configured.trim() === '') return null;
  try {
    const parsed = schema.safeParse(JSON.parse(configured));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The web host's identifier order, from `VITE_RELAIS_IDENTIFIER_PRIORITY` at build time (JSON, the
 * policy file's `identifierPriority`); anything that does not parse is ignored (built-in order).
 */
export const webIdentifierPriority = (configured: unknown): IdentifierPriorityPolicy | null => buildJson(configured, identifierPriorityPolicySchema);

/**
 * The web host's sources, from `VITE_RELAIS_SOURCES` at build time (JSON, the policy file's
 * `sources`): the primary (`webFhirBase()`) first, then the others. A list that does not parse, or
 * that is unsafe (not https, an id or a server twice), is ignored whole: the primary alone.
 */
export function webSources(primaryBase: string, primaryLabel: string, configured: unknown = import.meta.env['VITE_RELAIS_SOURCES']): FhirSource[] {
  const primary = { fhirBase: primaryBase, label: primaryLabel };
  const others = buildJson(configured, otherSourcesSchema);
  try {
    return sourcesFrom(primary, others ?? []);
  } catch {
    return sourcesFrom(primary);
  }
}

/** The web host's linking systems, from `VITE_RELAIS_LINK_SYSTEMS` at build time (JSON, the policy's `linkIdentifierSystems`); anything else: null (INS and the NHS number). */
export const webLinkIdentifierSystems = (configured: unknown): string[] | null => buildJson(configured, linkIdentifierSystemsSchema);
