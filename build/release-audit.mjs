// What a release ships, for an auditor (issue 16, point 5): the npm packages in the app, their
// licences checked against build/licences.json, and a CycloneDX SBOM of them. Pure functions over
// the build's records (build/release-check.mjs runs them; tests/unit/build/release-audit.test.ts
// attacks the licence gate).
//
// "Shipped" means: every package one of the bundles carries (the main process, the preload, the
// page and each worker: the modules each bundle was built from, recorded in .cache/shipped/ by
// build/bundle-main.mjs and vite.config.mts), and every package electron-builder copies into the app
// (the production dependencies in package-lock.json, keytar and what it needs). Build tools, test
// tools and the sandbox are not shipped and are not listed.
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as CDX from '@cyclonedx/cyclonedx-library';
import { PackageURL } from 'packageurl-js';
import parseSpdx from 'spdx-expression-parse';

/** The package a bundled module belongs to, as its package-lock key (`node_modules/a/node_modules/@s/b`), or null (our own code, a virtual module). */
export function packageKeyOf(moduleId) {
  const path = String(moduleId).replace(/\\/g, '/').replace(/^\0/, '');
  const first = path.indexOf('node_modules/');
  if (first === -1) return null;
  const inTree = path.slice(first);
  const last = inTree.lastIndexOf('node_modules/');
  const rest = inTree.slice(last + 'node_modules/'.length).split('/');
  const name = rest[0]?.startsWith('@') ? (rest[1] === undefined || rest[1] === '' ? null : `${rest[0]}/${rest[1]}`) : rest[0];
  if (name === null || name === undefined || name === '') return null;
  return `${inTree.slice(0, last)}node_modules/${name}`;
}

/** Every package-lock key shipped: from the bundles' module lists, and the production dependencies. */
export function shippedKeys(moduleLists, lock) {
  const keys = new Set();
  for (const list of moduleLists) for (const id of list) {
    const key = packageKeyOf(id);
    if (key !== null) keys.add(key);
  }
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    if (key !== '' && entry.dev !== true && entry.devOptional !== true && entry.optional !== true) keys.add(key);
  }
  return [...keys].sort();
}

/** The licence a package states (SPDX expression), from its package.json; null when it states none. */
export function statedLicence(manifest) {
  if (typeof manifest.license === 'string' && manifest.license.trim() !== '') return manifest.license.trim();
  if (manifest.license !== null && typeof manifest.license === 'object' && typeof manifest.license.type === 'string') return manifest.license.type;
  if (Array.isArray(manifest.licenses)) {
    const types = manifest.licenses.map((l) => (typeof l === 'string' ? l : l?.type)).filter((t) => typeof t === 'string');
    if (types.length > 0) return types.length === 1 ? types[0] : `(${types.join(' OR ')})`;
  }
  return null;
}

/**
 * May a package under `expression` be shipped in a closed-source, distributed app? Each licence of
 * an AND must be allowed; one of an OR suffices. A licence not in the policy's list, an expression
 * that does not parse, or none at all is refused unless the policy names the package as an
 * exception with its reason.
 */
export function licenceVerdict(name, expression, policy) {
  const exception = policy.exceptions?.[name];
  if (exception !== undefined) return { ok: true, why: `exception: ${exception}` };
  if (expression === null) return { ok: false, why: 'states no licence' };
  let tree;
  try {
    tree = parseSpdx(expression);
  } catch {
    return { ok: false, why: `"${expression}" is not an SPDX expression` };
  }
  const allowed = new Set(policy.allowed);
  const fits = (node) => {
    if (node.license !== undefined) return allowed.has(node.license) && (node.exception === undefined || allowed.has(`${node.license} WITH ${node.exception}`));
    return node.conjunction === 'and' ? fits(node.left) && fits(node.right) : fits(node.left) || fits(node.right);
  };
  return fits(tree) ? { ok: true, why: expression } : { ok: false, why: `${expression} is not allowed for distribution` };
}

/** The shipped packages with what an SBOM and the licence report need. */
export function shippedComponents(root, keys, lock) {
  return keys.map((key) => {
    const manifest = JSON.parse(readFileSync(join(root, key, 'package.json'), 'utf8'));
    const entry = lock.packages?.[key] ?? {};
    return { key, name: manifest.name, version: manifest.version, licence: statedLicence(manifest), integrity: entry.integrity ?? null, resolved: entry.resolved ?? null };
  });
}

/** The CycloneDX 1.6 SBOM (JSON) of the app and its shipped packages, validated against the specification's schema. */
export async function sbomOf(app, components, timestamp) {
  const bom = new CDX.Models.Bom();
  bom.metadata.timestamp = timestamp;
  bom.metadata.component = new CDX.Models.Component(CDX.Enums.ComponentType.Application, app.name, { version: app.version, bomRef: `pkg:npm/${app.name}@${app.version}` });
  const licenceFactory = new CDX.Contrib.License.Factories.LicenseFactory(parseSpdx);
  for (const c of components) {
    const component = new CDX.Models.Component(CDX.Enums.ComponentType.Library, c.name.includes('/') ? c.name.split('/')[1] : c.name, {
      group: c.name.includes('/') ? c.name.split('/')[0] : undefined,
      version: c.version,
      bomRef: `${c.name}@${c.version}#${c.key}`,
      purl: new PackageURL('npm', c.name.includes('/') ? c.name.split('/')[0] : undefined, c.name.includes('/') ? c.name.split('/')[1] : c.name, c.version, undefined, undefined),
    });
    // An SPDX id, else an SPDX expression (checked by spdx-expression-parse), else a licence name.
    if (c.licence !== null) component.licenses.add(licenceFactory.makeFromString(c.licence));
    const sri = /^sha512-(.+)$/.exec(c.integrity ?? '');
    if (sri !== null) component.hashes.set(CDX.Enums.HashAlgorithm['SHA-512'], Buffer.from(sri[1], 'base64').toString('hex'));
    bom.components.add(component);
  }
  const serializer = new CDX.Serialize.JsonSerializer(new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6));
  const json = serializer.serialize(bom, { sortLists: true, space: 2 });
  const errors = await new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6).validate(json);
  if (errors !== null) throw new Error(`the SBOM does not validate against CycloneDX 1.6: ${JSON.stringify(errors).slice(0, 500)}`);
  return json;
}
