/**
 * One logger per area. It takes a message and a few non-identifying fields (codes, counts,
 * durations): never a resource, a name or an error message, which may carry patient data.
 */
export type LogFields = Readonly<Record<string, string | number | boolean>>;
export type Logger = Readonly<{
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}>;

export type LogSink = (line: string) => void;

const stderrSink: LogSink = (line) => {
  process.stderr.write(`${line}\n`);
};

export function createLogger(area: string, sink: LogSink = stderrSink): Logger {
  const write = (level: string, message: string, fields?: LogFields): void => {
    sink(JSON.stringify({ t: new Date().toISOString(), level, area, message, ...fields }));
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
