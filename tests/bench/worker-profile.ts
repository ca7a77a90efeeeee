/**
 * V8 CPU profiles of a page and of its dedicated workers (the data worker) during a bench, over
 * Chromium's remote debugging port: Playwright gives no CDP session on a worker, so this speaks
 * CDP itself (flattened sessions: the page target, then every worker it auto-attaches).
 *
 * Self time by function and by chunk, per thread, plus "(idle)" / "(program)" / "(garbage
 * collector)": a thread waiting (for IndexedDB, whose LevelDB runs in the browser process, or for
 * WebCrypto) shows as idle. Used by `npm run bench:sync -- --profile`.
 */

export type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
export type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export type ThreadProfiler = Readonly<{
  /** Stops every profile and returns one report per thread (page first). */
  stop(): Promise<ReadonlyArray<Readonly<{ thread: string; profile: CpuProfile }>>>;
}>;

/** Starts profiling the page whose URL starts with `pageUrl` and every worker it has or starts. */
export async function startThreadProfiler(debugPort: number, pageUrl: string): Promise<ThreadProfiler> {
  const version = (await (await fetch(`http://127.0.0.1:${debugPort}/json/version`)).json()) as { webSocketDebuggerUrl: string };
  const socket = new WebSocket(version.webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('CDP socket')), { once: true });
  });
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const threads = new Map<string, string>();
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<unknown> => {
    const id = nextId++;
    socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
  };
  const startIn = async (sessionId: string): Promise<void> => {
    await send('Profiler.enable', {}, sessionId);
    await send('Profiler.setSamplingInterval', { interval: 500 }, sessionId);
    await send('Profiler.start', {}, sessionId);
    await send('Runtime.runIfWaitingForDebugger', {}, sessionId);
  };
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: Record<string, unknown>; sessionId?: string };
    if (message.id !== undefined) {
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) waiting?.reject(new Error(message.error.message));
      else waiting?.resolve(message.result);
      return;
    }
    if (message.method === 'Target.attachedToTarget') {
      const info = message.params?.['targetInfo'] as { type: string; url: string };
      const sessionId = message.params?.['sessionId'] as string;
      if (info.type !== 'worker') return;
      threads.set(sessionId, `worker ${info.url.replace(/^.*\//, '')}`);
      void startIn(sessionId).catch(() => threads.delete(sessionId));
    }
  });
  const { targetInfos } = (await send('Target.getTargets')) as { targetInfos: Array<{ targetId: string; type: string; url: string }> };
  const target = targetInfos.find((t) => t.type === 'page' && t.url.startsWith(pageUrl));
  if (target === undefined) throw new Error(`no page at ${pageUrl}`);
  const { sessionId: pageSession } = (await send('Target.attachToTarget', { targetId: target.targetId, flatten: true })) as { sessionId: string };
  threads.set(pageSession, 'page');
  await startIn(pageSession);
  await send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: true }, pageSession);
  return {
    async stop() {
      const out: Array<{ thread: string; profile: CpuProfile }> = [];
      for (const [sessionId, thread] of threads) {
        const stopped = (await send('Profiler.stop', {}, sessionId).catch(() => null)) as { profile: CpuProfile } | null;
        if (stopped) out.push({ thread, profile: stopped.profile });
      }
      socket.close();
      return out;
    },
  };
}

/** Each sample of a profile: its leaf frame and how long it lasted (ms). */
export function eachSample(profile: CpuProfile, visit: (frame: CallFrame, ms: number, nodeId: number) => void): void {
  const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
  profile.samples.forEach((id, i) => {
    const frame = nodeById.get(id)?.callFrame;
    if (frame) visit(frame, (profile.timeDeltas[i] ?? 0) / 1000, id);
  });
}

/** Self time by function (name, chunk:line), the top `top`, and the thread's total. */
export function selfTimes(profile: CpuProfile, top: number): { totalMs: number; rows: Array<[string, number]> } {
  const byFunction = new Map<string, number>();
  let total = 0;
  eachSample(profile, (frame, ms) => {
    total += ms;
    const where = frame.url === '' ? '' : ` ${frame.url.replace(/^.*\//, '')}:${frame.lineNumber + 1}`;
    const name = `${frame.functionName || '(anonymous)'}${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
  });
  return { totalMs: total, rows: [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top) };
}

/** Inclusive time by function (each function counted once per sample, wherever it is on the stack). */
export function totalTimes(profile: CpuProfile, top: number): Array<[string, number]> {
  const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byFunction = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const delta = (profile.timeDeltas[i] ?? 0) / 1000;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = nodeById.get(at)?.callFrame;
      if (!frame || frame.url === '') continue;
      const name = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\//, '')}:${frame.lineNumber + 1}`;
      if (seen.has(name)) continue;
      seen.add(name);
      byFunction.set(name, (byFunction.get(name) ?? 0) + delta);
    }
  });
  return [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top);
}

/**
 * The stretches of a thread busy without a break (no idle sample) for at least `minMs`: on the
 * page, the long tasks. Each with its start (ms into the profile), its length, and the app
 * functions it spent the most time in (inclusive): what a long-task count alone cannot say.
 */
export function busyStretches(profile: CpuProfile, minMs: number, top: number): Array<{ atMs: number; ms: number; functions: Array<[string, number]> }> {
  const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const out: Array<{ atMs: number; ms: number; functions: Array<[string, number]> }> = [];
  let clock = 0;
  let run: { atMs: number; ms: number; samples: Array<[number, number]> } | null = null;
  const close = (): void => {
    if (run !== null && run.ms >= minMs) {
      const byFunction = new Map<string, number>();
      for (const [id, ms] of run.samples) {
        const seen = new Set<string>();
        for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
          const frame = nodeById.get(at)?.callFrame;
          if (!frame) continue;
          // App code by chunk and line; of the rest, the engine's own work ((program), GC) and the built-ins named (postMessage…).
          if (frame.url === '' && (at !== id || frame.functionName === '(root)')) continue;
          const name = frame.url === '' ? frame.functionName || '(native)' : `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\//, '')}:${frame.lineNumber + 1}`;
          if (seen.has(name)) continue;
          seen.add(name);
          byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
        }
      }
      out.push({ atMs: run.atMs, ms: run.ms, functions: [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top) });
    }
    run = null;
  };
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    clock += ms;
    if (nodeById.get(id)?.callFrame.functionName === '(idle)') {
      close();
      return;
    }
    run ??= { atMs: clock, ms: 0, samples: [] };
    run.ms += ms;
    run.samples.push([id, ms]);
  });
  close();
  return out;
}
