/**
 * First sync end to end, as a clinician lives it, side by side in one run and one Chromium build
 * (issue 12): the sandbox at a given size, then, at the web host's own origin,
 *   A. fetch + parse every page of every synced type (nothing stored);
 *   B. A + one raw IndexedDB put transaction per page (no crypto, no RxDB): the limit;
 *   C. Relais' real first sync: the app signed in through the sandbox's OpenID provider, the
 *      passphrase submitted → "last sync" shown and the first-sync panel gone.
 * During C: page-thread tasks over 50 ms (PerformanceObserver 'longtask'), a key typed in the
 * patient search timed to its result on screen, and the first-sync panel's time-left estimate
 * checked against the real end. After C: reopening (reload → unlock → whole list), chart opens
 * (click → allergy banner), and the origin's bytes on disk against the resources' JSON.
 *
 *   npm run bench:sync -- [--patients 250] [--per-patient 200] [--lock-minutes 1] [--out file]
 *
 * With --lock-minutes, C runs under that idle lock and types nothing: the screen locks during the
 * first sync, the sync goes on while locked (sealed, issue 12 item 4), and the run unlocks once
 * the locked screen says it is up to date; the report says when each happened.
 *
 * 250 × 200 ≈ 50k resources; 2,500 × 200 ≈ 500k is the design point (about an hour in all).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { setLogThreshold } from '../../sandbox/log.ts';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import { bundleForBrowser } from '../browser/bundle.ts';
import { chromiumExecutable, harnessChromiumArgs } from '../browser/chromium.ts';
import { remote } from '../browser/rpc.ts';
import type { PipelineResult, SyncBaselineApi } from './sync-baseline.page.ts';
import { busyStretches, selfTimes, startThreadProfiler, totalTimes, type ThreadProfiler } from './worker-profile.ts';

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '250' },
    'per-patient': { type: 'string', default: '200' },
    'page-size': { type: 'string', default: '500' },
    'hie-port': { type: 'string', default: '8987' },
    'web-port': { type: 'string', default: '4379' },
    'chart-opens': { type: 'string', default: '12' },
    /** Wait this long after the reopen's list is on screen before the first chart open (0: at once, as a clinician may). */
    'settle-ms': { type: 'string', default: '0' },
    /** The idle lock during C (1, 5, 10…): no key is typed then, the lock comes, the sync goes on locked, and the run unlocks once the locked screen says up to date. */
    'lock-minutes': { type: 'string' },
    out: { type: 'string' },
    /** Only C (Relais' first sync), for figures of its own such as when the day's patients are ready: no A and B baselines, no ratios. */
    'relais-only': { type: 'boolean', default: false },
    /** V8 CPU profiles of the page and the data worker during C (an unminified build; slows C, so its times are not comparable). */
    profile: { type: 'boolean', default: false },
    /** The same profiles over the reopen (reload → unlock → list) and the first chart open after it, instead of during C. */
    'profile-reopen': { type: 'boolean', default: false },
  },
});
const relaisOnly = values['relais-only'] === true;
const profiling = values.profile === true;
const profilingReopen = values['profile-reopen'] === true;
const debugPort = 9339;
const patients = Number(values.patients);
const perPatient = Number(values['per-patient']);
const pageSize = Number(values['page-size']);
const hiePort = Number(values['hie-port']);
const webPort = Number(values['web-port']);
const chartOpens = Number(values['chart-opens']);
const settleMs = Number(values['settle-ms']);
const lockMinutes = values['lock-minutes'] === undefined ? null : Number(values['lock-minutes']);
const passphrase = 'Marée haute sur le sillon de Saint-Malo';
const webOrigin = `http://127.0.0.1:${webPort}`;
const fhirBase = `http://127.0.0.1:${hiePort}/fhir`;
const outDir = 'dist/web-bench';

const lines: string[] = [];
const say = (line: string): void => {
  lines.push(line);
  console.log(line);
};
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const perSecond = (count: number, ms: number): string => `${Math.round((count * 1000) / ms)}/s`;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);
};

/** Rate over successive windows of the run: falls if the store slows as it grows. */
function rateCurve(curve: ReadonlyArray<readonly [number, number]>, windows = 5): string {
  const end = curve.at(-1);
  if (end === undefined || end[0] === 0) return '-';
  const out: string[] = [];
  let previous: readonly [number, number] = [0, 0];
  for (let w = 1; w <= windows; w += 1) {
    const until = (end[0] * w) / windows;
    const point = curve.find(([t]) => t >= until) ?? end;
    if (point[0] > previous[0]) out.push(perSecond(point[1] - previous[1], point[0] - previous[0]));
    previous = point;
  }
  return out.join(' → ');
}

async function reportProfiles(profiler: ThreadProfiler): Promise<void> {
  for (const { thread, profile: cpu } of await profiler.stop()) {
    const { totalMs, rows } = selfTimes(cpu, 30);
    say(`profile, ${thread}: ${seconds(totalMs)} sampled`);
    say('  self time:');
    for (const [name, ms] of rows) say(`    ${ms.toFixed(0).padStart(7)} ms ${((ms / totalMs) * 100).toFixed(1).padStart(5)} %  ${name}`);
    say('  total time (on the stack):');
    for (const [name, ms] of totalTimes(cpu, 40)) say(`    ${ms.toFixed(0).padStart(7)} ms ${((ms / totalMs) * 100).toFixed(1).padStart(5)} %  ${name}`);
    if (thread !== 'page') continue;
    const stretches = busyStretches(cpu, 50, 12);
    say(`  busy without a break for 50 ms or more (the long tasks): ${stretches.length}`);
    for (const stretch of stretches) {
      say(`    ${stretch.ms.toFixed(0)} ms at ${seconds(stretch.atMs)} into the profile:`);
      for (const [name, ms] of stretch.functions) say(`      ${ms.toFixed(0).padStart(5)} ms  ${name}`);
    }
  }
}

async function control(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sandbox.url}/_test/${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`control ${method} ${path}: ${response.status}`);
  return (await response.json()) as unknown;
}

async function waitForHttp(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function buildWeb(): void {
  const env = { ...process.env, VITE_RELAIS_FHIR_BASE: fhirBase, RELAIS_WEB_OUT_DIR: outDir };
  const built = spawnSync('npx', ['vite', 'build', '--mode', 'web', '--logLevel', 'warn', ...(profiling || profilingReopen ? ['--minify', 'false'] : [])], { stdio: 'inherit', env });
  if (built.status !== 0) throw new Error('the web build failed');
}

function preview(): ChildProcess {
  const env = { ...process.env, VITE_RELAIS_FHIR_BASE: fhirBase, RELAIS_WEB_OUT_DIR: outDir };
  // Its own process group, so stopping it stops vite too (npx does not pass the signal on).
  return spawn('npx', ['vite', 'preview', '--mode', 'web', '--port', String(webPort)], { stdio: 'ignore', env, detached: true });
}

type PanelSample = Readonly<{ atMs: number; received: number; total: number | null; remainingMs: number | null }>;

async function panelSample(page: Page, startedAt: number): Promise<PanelSample | null> {
  const data = await page.evaluate(() => {
    const panel = document.querySelector('section.initial-sync');
    if (!(panel instanceof HTMLElement)) return null;
    return { received: panel.dataset['received'] ?? '', total: panel.dataset['total'] ?? '', remaining: panel.dataset['remainingMs'] ?? '' };
  });
  if (data === null) return null;
  return {
    atMs: Date.now() - startedAt,
    received: Number(data.received),
    total: data.total === '' ? null : Number(data.total),
    remainingMs: data.remaining === '' ? null : Number(data.remaining),
  };
}

/**
 * One key in the patient search, timed in the page from the keydown event to the list's count
 * changing and the next frame: what the clinician sees. null when nothing changed within 5 s.
 */
async function searchLatency(page: Page, key: string): Promise<number | null> {
  const armed = await page.evaluate(() => {
    const input = document.querySelector('#patient-search');
    const count = document.querySelector('.patients__count');
    if (!(input instanceof HTMLInputElement) || count === null) return false;
    const probe = new Promise<number | null>((resolve) => {
      let typedAt: number | null = null;
      const onKey = (event: KeyboardEvent): void => {
        typedAt = event.timeStamp;
      };
      input.addEventListener('keydown', onKey, { once: true });
      const observer = new MutationObserver(() => {
        if (typedAt === null) return;
        const from = typedAt;
        observer.disconnect();
        requestAnimationFrame(() => resolve(performance.now() - from));
      });
      observer.observe(count, { childList: true, characterData: true, subtree: true });
      setTimeout(() => {
        observer.disconnect();
        resolve(null);
      }, 5_000);
    });
    Reflect.set(globalThis, '__relaisSearchProbe', probe);
    return true;
  });
  if (!armed) return null;
  await page.locator('#patient-search').focus();
  await page.keyboard.press(key);
  return page.evaluate(() => Reflect.get(globalThis, '__relaisSearchProbe') as Promise<number | null>);
}

const longTaskObserver = `
  globalThis.__relaisLongTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) globalThis.__relaisLongTasks.push([entry.startTime, entry.duration]);
  }).observe({ type: 'longtask', buffered: true });
`;

async function main(): Promise<void> {
  setLogThreshold('warn');
  say(`# First sync end to end — ${new Date().toISOString()}`);
  say(`sandbox: ${patients} patients × ${perPatient} resources, page size ${pageSize}`);
  buildWeb();
  const loadStarted = Date.now();
  const sandbox = await startSandbox({ port: hiePort, testMode: true, patients, resourcesPerPatient: perPatient, practitioners: 1 });
  say(`sandbox loaded ${sandbox.resourceCount} resources in ${seconds(Date.now() - loadStarted)}`);
  const server = preview();
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: [...harnessChromiumArgs] });
  try {
    await waitForHttp(`${webOrigin}/index.html`, 60_000);
    const doctor = ((await control(sandbox, 'GET', 'practitioners')) as Array<{ id: string; username: string }>)[0];
    if (doctor === undefined) throw new Error('no practitioner');
    const login = sandbox.practitioners.find((p) => p.id === doctor.id);
    if (login === undefined) throw new Error('no login for the practitioner');
    const token = ((await control(sandbox, 'POST', 'token', { practitioner: doctor.id })) as { access_token: string }).access_token;

    // ── A and B, at the app's origin ─────────────────────────────────────────────────────────
    // Served by the same preview server as the app (a page Playwright made up would count as
    // another address space, and Chromium would refuse its requests to the loopback HIE).
    writeFileSync(`${outDir}/__bench.js`, await bundleForBrowser('tests/bench/sync-baseline.page.ts'));
    writeFileSync(`${outDir}/__bench.html`, '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title><script type="module" src="/__bench.js"></script></head><body></body></html>');
    // On disk like C's (an in-memory context stores and counts bytes otherwise, and its quota stops C near 300k).
    const harnessProfile = mkdtempSync(join(tmpdir(), 'relais-bench-'));
    const harness = await chromium.launchPersistentContext(harnessProfile, { executablePath: chromiumExecutable(), args: [...harnessChromiumArgs] });
    const harnessPage = await harness.newPage();
    harnessPage.on('console', (message) => {
      if (message.type() === 'error') console.error(message.text());
    });
    await harnessPage.goto(`${webOrigin}/__bench.html`);
    await harnessPage.waitForFunction(() => Reflect.get(globalThis, '__relais') !== undefined);
    let fetchOnly: PipelineResult | null = null;
    let rawWrite: PipelineResult | null = null;
    let rawBytes = 0;
    try {
      if (!relaisOnly) {
        const api = remote<SyncBaselineApi>(harnessPage);
        const types = await api.call('typesToSync', fhirBase, token);
        fetchOnly = await api.call('pipeline', { fhirBase, token, types, pageSize, store: false, measureBytes: true });
        say(`A fetch + parse:              ${seconds(fetchOnly.ms)}  ${fetchOnly.resources} resources in ${fetchOnly.pages} pages, ${perSecond(fetchOnly.resources, fetchOnly.ms)}; JSON ${mb(fetchOnly.jsonBytes)}`);
        const before = await api.call('usage');
        rawWrite = await api.call('pipeline', { fhirBase, token, types, pageSize, store: true, measureBytes: false });
        rawBytes = (await api.call('usage')) - before;
        say(`B + raw IndexedDB writes:     ${seconds(rawWrite.ms)}  ${perSecond(rawWrite.resources, rawWrite.ms)}; rate by fifths ${rateCurve(rawWrite.curve)}; on disk ${mb(rawBytes)}`);
        await api.call('dropRaw');
      }
    } finally {
      await harness.close();
      rmSync(harnessProfile, { recursive: true, force: true });
    }

    // ── C: Relais ────────────────────────────────────────────────────────────────────────────
    // A profile on disk, as B's: an in-memory context's storage quota stopped the sync near 300k resources (1.4 GB).
    const profile = mkdtempSync(join(tmpdir(), 'relais-bench-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumExecutable(),
      args: [...harnessChromiumArgs, ...(profiling || profilingReopen ? [`--remote-debugging-port=${debugPort}`] : [])],
      baseURL: webOrigin,
      locale: 'fr-FR',
    });
    await context.addInitScript(longTaskObserver);
    if (lockMinutes !== null) await context.addInitScript(`localStorage.setItem('relais.idle-minutes', '${lockMinutes}')`);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('button', { name: 'Se connecter à l’échange de santé' }).click();
    await page.getByLabel(/Identifiant/).fill(login.username);
    await page.getByLabel(/Mot de passe/).fill(login.password);
    await page.getByRole('button', { name: /Se connecter/ }).click();
    await page.getByLabel('Phrase de déverrouillage', { exact: true }).fill(passphrase);
    await page.getByLabel('Confirmez la phrase').fill(passphrase);
    await page.getByText('excellente').waitFor();
    const pageStart = await page.evaluate(() => performance.now());
    const profiler = profiling ? await startThreadProfiler(debugPort, webOrigin) : null;
    const startedAt = Date.now();
    await page.getByRole('button', { name: 'Protéger les dossiers' }).click();

    const samples: PanelSample[] = [];
    // The day's patients (shared/sync/priority.ts): when the panel says they are all ready, and when the first opens from My day.
    let dayReadyAt: number | null = null;
    let dayChartAt: number | null = null;
    let dayCount = 0;
    // Under --lock-minutes: each idle lock (one comes again a minute after every unlock, as nothing is typed).
    const locks: Array<{ at: number; receivedBefore: number; caughtUpAt: number | null; receivedLocked: number; unlockedAt: number | null }> = [];
    let requestsAfterFirstUnlock = 0;
    page.on('request', (request) => {
      if (locks[0]?.unlockedAt != null && request.url().startsWith(fhirBase) && request.url().includes('_sort=_lastUpdated')) requestsAfterFirstUnlock += 1;
    });
    const searches: number[] = [];
    let missedSearches = 0;
    let lastSearch = 0;
    let key = 'e';
    // Done: the first-sync panel gone and the status bar naming a last sync (checked every 100 ms).
    const finished = async (ms: number): Promise<boolean> =>
      page
        .waitForFunction(() => document.querySelector('section.initial-sync') === null && /^Dernière synchronisation/.test(document.querySelector('[data-testid="last-sync"]')?.textContent ?? ''), undefined, { timeout: ms, polling: 100 })
        .then(() => true, () => false);
    for (;;) {
      if (lockMinutes !== null) {
        // Under the idle lock: note when it came, follow the locked screen, unlock once it says up to date.
        const lockedText = await page.getByTestId('locked-sync').textContent({ timeout: 100 }).catch(() => null);
        if (lockedText !== null) {
          let lock = locks.at(-1);
          if (lock === undefined || lock.unlockedAt !== null) {
            lock = { at: Date.now() - startedAt, receivedBefore: samples.at(-1)?.received ?? 0, caughtUpAt: null, receivedLocked: 0, unlockedAt: null };
            locks.push(lock);
            say(`  idle lock (${lockMinutes} min) at ${seconds(lock.at)} with ${lock.receivedBefore} received; the sync goes on locked`);
          }
          lock.receivedLocked = Number(/(\d+) éléments reçus/.exec(lockedText)?.[1] ?? lock.receivedLocked);
          if (/à jour/.test(lockedText)) {
            lock.caughtUpAt = Date.now() - startedAt;
            await page.getByLabel('Phrase de déverrouillage').fill(passphrase);
            lock.unlockedAt = Date.now() - startedAt;
            say(`    locked screen up to date at ${seconds(lock.caughtUpAt)}: ${lock.receivedLocked} received while locked, sealed; unlocking`);
            await page.getByRole('button', { name: 'Déverrouiller' }).click();
            await page.getByTestId('locked-sync').waitFor({ state: 'detached', timeout: 120_000 });
          } else {
            await new Promise((resolve) => setTimeout(resolve, 1_000));
          }
          continue;
        }
      }
      const sample = await panelSample(page, startedAt);
      if (sample !== null) samples.push(sample);
      if (dayReadyAt === null) {
        const day = await page.evaluate(() => {
          const element = document.querySelector('[data-testid="day-patients"]');
          return element instanceof HTMLElement ? { ready: Number(element.dataset['ready']), total: Number(element.dataset['total']) } : null;
        });
        if (day !== null && day.total > 0 && day.ready === day.total) {
          dayReadyAt = Date.now() - startedAt;
          dayCount = day.total;
          say(`  the day's ${day.total} patients ready at ${seconds(dayReadyAt)} (${sample?.received ?? 0} resources received by the pull so far)`);
          const today = page.getByRole('list', { name: /^Aujourd’hui/ }).getByRole('listitem').first();
          await page.getByRole('button', { name: 'Ma journée', exact: true }).click();
          await today.waitFor({ timeout: 120_000 });
          await today.getByRole('button', { name: /^Ouvrir le dossier de / }).click();
          await page.getByRole('region', { name: 'Allergies du patient' }).waitFor({ timeout: 120_000 });
          dayChartAt = Date.now() - startedAt;
          say(`  the first of them opened from My day (allergy banner on screen) at ${seconds(dayChartAt)}`);
          await page.getByRole('button', { name: 'Patientèle', exact: true }).click();
        }
      }
      if (lockMinutes === null && Date.now() - lastSearch > 20_000 && sample !== null && sample.received > 0) {
        lastSearch = Date.now();
        const latency = await searchLatency(page, key);
        if (latency === null) missedSearches += 1;
        else searches.push(latency);
        key = key === 'e' ? 'Backspace' : 'e';
      }
      if (samples.length % 30 === 0 && sample !== null) {
        console.log(`  … ${seconds(sample.atMs)}: ${sample.received} of ${sample.total ?? '?'}, estimate ${sample.remainingMs === null ? '-' : seconds(sample.remainingMs)}`);
      }
      if (await finished(2_000)) break;
    }
    const relaisMs = Date.now() - startedAt;
    if (profiler !== null) await reportProfiles(profiler);
    const tasks = (await page.evaluate(() => Reflect.get(globalThis, '__relaisLongTasks') as Array<[number, number]>)).filter(([at]) => at >= pageStart);
    const received = samples.at(-1)?.received ?? 0;
    say(fetchOnly === null || rawWrite === null
      ? `C Relais first sync:          ${seconds(relaisMs)}  ${perSecond(received, relaisMs)}`
      : `C Relais first sync:          ${seconds(relaisMs)}  ${perSecond(fetchOnly.resources, relaisMs)}: ${(relaisMs / rawWrite.ms).toFixed(2)} × B, ${(relaisMs / fetchOnly.ms).toFixed(2)} × A`);
    say(dayReadyAt === null
      ? `  the day's patients: none ready before the end (no appointment in the coming 48 hours, or the sync did not need them first)`
      : `  the day's ${dayCount} patients ready at ${seconds(dayReadyAt)} = ${((dayReadyAt / relaisMs) * 100).toFixed(1)} % of the whole first sync; first chart open from My day at ${seconds(dayChartAt ?? 0)}`);
    if (lockMinutes !== null) {
      const first = locks[0];
      if (first?.unlockedAt == null) say(`  the idle lock (${lockMinutes} min) did not come before the end`);
      else say(`  ${locks.length} idle lock(s); after the first unlock: up to date ${seconds(relaisMs - first.unlockedAt)} later, ${requestsAfterFirstUnlock} type-pull requests`);
    }
    const curve = samples.map((s) => [s.atMs, s.received] as const);
    say(`  rate by fifths ${rateCurve(curve)}`);
    say(`  page-thread tasks over 50 ms: ${tasks.length}, ${seconds(tasks.reduce((sum, [, d]) => sum + d, 0))} in all, longest ${Math.round(Math.max(0, ...tasks.map(([, d]) => d)))} ms${tasks.length === 0 ? '' : ` (${tasks.slice(0, 8).map(([at, d]) => `${Math.round(d)} ms at ${seconds(at - pageStart)}`).join(', ')}${tasks.length > 8 ? ', …' : ''} after the passphrase was submitted)`}`);
    say(`  a key typed in the search → result on screen, during the sync: median ${Math.round(quantile(searches, 0.5))} ms, max ${Math.round(Math.max(...searches, 0))} ms over ${searches.length} keys (${missedSearches} showed nothing within 5 s)`);
    const estimates = samples.filter((s) => s.remainingMs !== null && s.remainingMs > 0);
    const errors = estimates.map((s) => {
      const actual = relaisMs - s.atMs;
      return ((s.remainingMs as number) - actual) / actual;
    });
    // The last seconds make any relative error huge: the worst cases are read while a tenth of the run or more remained.
    const early = estimates.flatMap((s, i) => (relaisMs - s.atMs >= relaisMs / 10 ? [errors[i] as number] : []));
    const worstLow = Math.min(0, ...early);
    const worstHigh = Math.max(0, ...early);
    say(`  time-left estimate vs the real end: median error ${(quantile(errors.map(Math.abs), 0.5) * 100).toFixed(0)} % (${estimates.length} samples); while ≥ 10 % remained, most optimistic ${(worstLow * 100).toFixed(0)} %, most pessimistic +${(worstHigh * 100).toFixed(0)} %`);
    for (const s of estimates.filter((_, i) => i % Math.max(1, Math.floor(estimates.length / 6)) === 0)) {
      say(`    at ${seconds(s.atMs)}: said ${seconds(s.remainingMs as number)}, was ${seconds(relaisMs - s.atMs)}`);
    }
    const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
    say(fetchOnly === null
      ? `  on disk ${mb(usage)}, ${Math.round(usage / Math.max(1, received))} B per resource`
      : `  on disk ${mb(usage)} = ${(usage / fetchOnly.jsonBytes).toFixed(2)} × the JSON, ${(usage / rawBytes).toFixed(2)} × raw IndexedDB, ${Math.round(usage / Math.max(1, fetchOnly.resources))} B per resource`);

    // Reopen: reload → unlock → the whole list on screen.
    const reopenProfiler = profilingReopen ? await startThreadProfiler(debugPort, webOrigin) : null;
    await page.reload();
    await page.getByLabel('Phrase de déverrouillage').fill(passphrase);
    const unlockAt = Date.now();
    // Timed in the page too, from the click event to the first frame with the whole count on
    // screen: Playwright's waits poll ever more slowly (the wall clock read 0.9 s for 0.3 s).
    await page.evaluate((count) => {
      const probe: { clickAt: number | null; shownAt: number | null } = { clickAt: null, shownAt: null };
      Reflect.set(globalThis, '__relaisReopen', probe);
      const whole = new RegExp(`^${count}\\D.*${count}$`);
      document.addEventListener('click', () => void (probe.clickAt ??= performance.now()), { capture: true, once: true });
      const check = (): void => {
        if (probe.clickAt !== null && whole.test(document.querySelector('.patients__count')?.textContent?.trim() ?? '')) probe.shownAt = performance.now();
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    }, patients);
    await page.getByRole('button', { name: 'Déverrouiller' }).click();
    await page.locator('.patients__count').filter({ hasText: new RegExp(`^${patients}\\D.*${patients}$`) }).waitFor({ timeout: 600_000 });
    const wallMs = Date.now() - unlockAt;
    await page.waitForFunction(() => (Reflect.get(globalThis, '__relaisReopen') as { shownAt: number | null }).shownAt !== null, null, { timeout: 60_000, polling: 50 });
    const reopenMs = await page.evaluate(() => {
      const probe = Reflect.get(globalThis, '__relaisReopen') as { clickAt: number; shownAt: number };
      return probe.shownAt - probe.clickAt;
    });
    say(`reopen (unlock → whole list): ${seconds(reopenMs)} in the page (click → first frame with the whole list); ${seconds(wallMs)} as Playwright's polling saw it`);

    // Chart opens: click a row → allergy banner on screen.
    if (settleMs > 0) {
      await page.waitForTimeout(settleMs);
      say(`  (chart opens start ${seconds(settleMs)} after the list is on screen)`);
    }
    const opens: number[] = [];
    const rows = page.getByRole('list', { name: 'Patients', exact: true }).getByRole('button');
    for (let i = 0; i < chartOpens; i += 1) {
      await rows.nth(i % 8).waitFor();
      // Timed in the page, from the click event to the first frame with the banner in the DOM:
      // Playwright's waits poll ever more slowly (a 400 ms open read as 855 ms).
      await page.evaluate(() => {
        const probe: { clickAt: number | null; shownAt: number | null } = { clickAt: null, shownAt: null };
        Reflect.set(globalThis, '__relaisOpen', probe);
        document.addEventListener('click', () => void (probe.clickAt ??= performance.now()), { capture: true, once: true });
        const check = (): void => {
          if (probe.clickAt !== null && document.querySelector('section.allergy-banner[aria-label="Allergies du patient"]') !== null) probe.shownAt = performance.now();
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      });
      await rows.nth(i % 8).click();
      await page.waitForFunction(() => (Reflect.get(globalThis, '__relaisOpen') as { shownAt: number | null }).shownAt !== null, null, { timeout: 60_000, polling: 50 });
      opens.push(await page.evaluate(() => {
        const probe = Reflect.get(globalThis, '__relaisOpen') as { clickAt: number; shownAt: number };
        return probe.shownAt - probe.clickAt;
      }));
      await page.getByRole('region', { name: 'Allergies du patient' }).waitFor({ timeout: 60_000 });
      if (i === 0 && reopenProfiler !== null) await reportProfiles(reopenProfiler);
      await page.getByRole('button', { name: '← Retour à la patientèle' }).click();
      await rows.first().waitFor({ timeout: 60_000 });
    }
    say(`chart open (click → allergy banner): p50 ${Math.round(quantile(opens, 0.5))} ms, p95 ${Math.round(quantile(opens, 0.95))} ms over ${opens.length} (in order: ${opens.map((ms) => Math.round(ms)).join(', ')} ms)`);
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  } finally {
    await browser.close();
    if (server.pid !== undefined) process.kill(-server.pid, 'SIGTERM');
    await sandbox.close();
  }
  if (values.out !== undefined) writeFileSync(values.out, `${lines.join('\n')}\n`);
}

await main();
