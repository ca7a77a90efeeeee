/**
 * The sandbox's logger: one line per event on stderr, so stdout stays free for the banner the
 * CLI prints. Callers pass protocol facts (routes, counts, codes), never resources or names.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type Logger = Readonly<{
  debug(message: string, fields?: Readonly<Record<string, string | number | boolean>>): void;
  info(message: string, fields?: Readonly<Record<string, string | number | boolean>>): void;
  warn(message: string, fields?: Readonly<Record<string, string | number | boolean>>): void;
  error(message: string, fields?: Readonly<Record<string, string | number | boolean>>): void;
}>;

const order: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

function thresholdFromEnvironment(): LogLevel {
  const value = process.env['RELAIS_SANDBOX_LOG'];
  return value === 'debug' || value === 'info' || value === 'warn' || value === 'error' ? value : 'info';
}

let threshold: LogLevel = thresholdFromEnvironment();

/** Tests and benchmarks quieten the sandbox without touching the environment. */
export function setLogThreshold(level: LogLevel): void {
  threshold = level;
}

export function createLogger(area: string): Logger {
  const write = (level: LogLevel, message: string, fields?: Readonly<Record<string, string | number | boolean>>): void => {
    if (order[level] < order[threshold]) return;
    const suffix = fields
      ? ' ' + Object.entries(fields).map(([key, value]) => `${key}=${String(value)}`).join(' ')
      : '';
    process.stderr.write(`[sandbox:${area}] ${level} ${message}${suffix}\n`);
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
