import { z } from 'zod';
import type { DiscoveredHie, SetupState } from '../../shared/ipc/contract';
import { checkedFhirBase } from '../../shared/hie/fhir-base';
import { discoverSmartServer } from '../auth/smart-discovery';
import type { SettingsFile } from '../settings/settings-file';
import type { ConfiguredPolicy, HiePolicy } from './hie-config';

/**
 * Which HIE this installation talks to, or what the setup screen shows instead (issue 16, point 4).
 * A packaged Relais with no HIE never runs a demo: it tells the user to contact IT. Only where IT's
 * policy says `allowAdminSetup` (and names no `fhirBase`) may an administrator enter the HIE's
 * address; it is discovered (a FHIR R4 CapabilityStatement, a SMART configuration whose identity
 * provider agrees), shown, and kept only once confirmed. IT's `fhirBase` always wins, and an
 * address kept earlier is ignored once the policy no longer allows setup.
 */
export type HieChoice = Readonly<{ policy: ConfiguredPolicy | null; setup: SetupState }>;

/** The policy as read: a policy (or none), or a policy that is there but not valid. */
export type PolicyReading = Readonly<{ policy: HiePolicy | null }> | Readonly<{ invalid: true }>;

export function chooseHie(reading: PolicyReading, administratorHie: string | null): HieChoice {
  if ('invalid' in reading) return { policy: null, setup: { state: 'contact-it', reason: 'invalid-policy' } };
  const { policy } = reading;
  if (policy?.fhirBase !== undefined) return { policy: { ...policy, fhirBase: policy.fhirBase }, setup: { state: 'ready' } };
  if (policy?.allowAdminSetup !== true) return { policy: null, setup: { state: 'contact-it', reason: 'not-configured' } };
  if (administratorHie === null) return { policy: null, setup: { state: 'admin-entry' } };
  return { policy: { ...policy, fhirBase: administratorHie }, setup: { state: 'ready' } };
}

export type SetupErrorCode = 'SETUP_NOT_ALLOWED' | 'SETUP_ADDRESS_INVALID' | 'SETUP_UNREACHABLE' | 'SETUP_NOT_FHIR' | 'SETUP_NO_SIGN_IN';

export class SetupError extends Error {
  constructor(readonly code: SetupErrorCode) {
    super(`HIE setup: ${code}`);
    this.name = 'SetupError';
  }
}

const capabilitySchema = z
  .object({
    resourceType: z.literal('CapabilityStatement'),
    fhirVersion: z.string().regex(/^4\.0\.\d+$/),
    name: z.string().optional(),
    title: z.string().optional(),
    software: z.object({ name: z.string(), version: z.string().optional() }).loose().optional(),
    implementation: z.object({ description: z.string() }).loose().optional(),
  })
  .loose();

const clipped = (text: string | undefined): string | null => (text === undefined || text.trim() === '' ? null : text.trim().slice(0, 200));

/** What is at an address an administrator entered: a FHIR R4 server with a SMART sign-in, or a SetupError. Nothing is kept. */
export async function discoverHie(address: string, fetchImpl: typeof fetch = fetch): Promise<DiscoveredHie> {
  let base: URL;
  try {
    base = checkedFhirBase(address.trim());
  } catch {
    throw new SetupError('SETUP_ADDRESS_INVALID');
  }
  let response: Response;
  try {
    // A redirect is not followed: it answers as something other than the FHIR base entered.
    response = await fetchImpl(new URL('metadata', base), { headers: { accept: 'application/fhir+json' }, redirect: 'manual', signal: AbortSignal.timeout(20_000) });
  } catch {
    throw new SetupError('SETUP_UNREACHABLE');
  }
  let capability: z.infer<typeof capabilitySchema>;
  try {
    const text = await response.text();
    if (!response.ok || text.length > 4 * 1024 * 1024) throw new SetupError('SETUP_NOT_FHIR');
    capability = capabilitySchema.parse(JSON.parse(text));
  } catch {
    throw new SetupError('SETUP_NOT_FHIR');
  }
  let identityProvider: string;
  try {
    identityProvider = (await discoverSmartServer(base.href, fetchImpl)).as.issuer;
  } catch {
    throw new SetupError('SETUP_NO_SIGN_IN');
  }
  const software = capability.software === undefined ? null : clipped([capability.software.name, capability.software.version].filter((part) => part !== undefined).join(' '));
  return {
    fhirBase: base.href.replace(/\/+$/, ''),
    name: clipped(capability.title ?? capability.name ?? capability.implementation?.description),
    software,
    fhirVersion: capability.fhirVersion,
    identityProvider,
  };
}

export type SetupService = Readonly<{
  state(): SetupState;
  /** What is at the address entered (setup allowed only). */
  discover(address: string): Promise<DiscoveredHie>;
  /** Discovers the address again, keeps it, and restarts Relais on it (setup allowed only). */
  confirm(address: string): Promise<void>;
}>;

export function createSetupService(options: Readonly<{ choice: HieChoice; settings: SettingsFile; restart: () => void; now?: () => Date; fetchImpl?: typeof fetch }>): SetupService {
  const allowed = (): void => {
    if (options.choice.setup.state !== 'admin-entry') throw new SetupError('SETUP_NOT_ALLOWED');
  };
  return {
    state: () => options.choice.setup,
    async discover(address) {
      allowed();
      return discoverHie(address, options.fetchImpl);
    },
    async confirm(address) {
      allowed();
      const found = await discoverHie(address, options.fetchImpl);
      await options.settings.update({ administratorHie: { fhirBase: found.fhirBase, confirmedAt: (options.now ?? (() => new Date()))().toISOString() } });
      options.restart();
    },
  };
}
