/**
 * The variants measured side by side (names shared by the page and the runner). The first six
 * are the design card's comparison; the `proto-` ones are prototypes of changes to renderer/db
 * and shared/crypto, measured to decide them (replica-prototypes.ts, replica-flat-bytes.ts).
 */
export const variantNames = [
  'raw-relaxed',
  'raw-strict',
  'rxdb-plain',
  'ours',
  'rxdb-cryptojs',
  'pouchdb',
  'proto-seal-only',
  'proto-sealed-raw',
  'proto-sealed-raw-binary',
  'proto-ours-direct',
  'proto-packed',
  'proto-packed-deflate',
  'proto-ours-flatb64',
] as const;

export type VariantName = (typeof variantNames)[number];

export const defaultVariants: readonly VariantName[] = ['raw-relaxed', 'raw-strict', 'rxdb-plain', 'ours', 'rxdb-cryptojs', 'pouchdb'];

export const isVariantName = (name: string): name is VariantName => (variantNames as readonly string[]).includes(name);

export const variantLabels: Readonly<Record<VariantName, string>> = {
  'raw-relaxed': 'raw IndexedDB, relaxed (the limit)',
  'raw-strict': 'raw IndexedDB, strict',
  'rxdb-plain': 'RxDB 17 Dexie, plaintext (strict)',
  ours: 'ours: replica, AES-GCM (strict)',
  'rxdb-cryptojs': 'RxDB + crypto-js plugin (strict)',
  pouchdb: 'PouchDB 9 + idb adapter',
  'proto-seal-only': 'proto: seal only, no storage',
  'proto-sealed-raw': 'proto: per-row seal + raw IDB strict',
  'proto-ours-direct': 'proto: ours below RxCollection',
  'proto-sealed-raw-binary': 'proto: per-row seal as bytes + raw IDB strict',
  'proto-packed': 'proto: packed per patient+page, raw strict',
  'proto-packed-deflate': 'proto: packed + deflate, raw strict',
  'proto-ours-flatb64': 'proto: ours + flat-string base64',
};

const flatBase64 = { 'shared/crypto/bytes.ts': 'tests/bench/replica-flat-bytes.ts' } as const;

/**
 * Variants that run product code with a module swapped at bundle time (bundleForBrowser's
 * `replace`). Every prototype that seals carries the flat base64 fix, the first change proposed,
 * so the others are measured on top of it.
 */
export const bundleReplacements: Partial<Record<VariantName, Readonly<Record<string, string>>>> = {
  'proto-ours-flatb64': flatBase64,
  'proto-seal-only': flatBase64,
  'proto-sealed-raw': flatBase64,
  'proto-sealed-raw-binary': flatBase64,
  'proto-ours-direct': flatBase64,
  'proto-packed': flatBase64,
  'proto-packed-deflate': flatBase64,
};

/** Variants that are our replica (the in-memory search index, the reopen path). */
export const isOurReplica = (variant: VariantName): boolean => variant === 'ours' || variant === 'proto-ours-flatb64';

/** The page script of each variant: one bundle per distinct replacement. */
export async function scriptsFor(
  variants: readonly VariantName[],
  bundle: (replace?: Readonly<Record<string, string>>) => Promise<string>,
): Promise<Map<VariantName, string>> {
  const plain = await bundle();
  const scripts = new Map<VariantName, string>();
  for (const variant of variants) {
    const replace = bundleReplacements[variant];
    scripts.set(variant, replace ? await bundle(replace) : plain);
  }
  return scripts;
}
