import winston from 'winston';
import type { LogFields, Logger } from '../../ports/logger.js';
import { redact, redactString } from './redact.js';

export interface LoggerOptions {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  /** `json`: Cloud Logging structured lines on stdout; `pretty`: readable local console. */
  readonly format: 'json' | 'pretty';
  readonly service: string;
  /** Google Cloud project of the log entries (json format). */
  readonly projectId?: string;
  /** Where lines go; defaults to the process's stdout. Tests pass a collector. */
  readonly stream?: NodeJS.WritableStream;
}

// winston keeps its own keys on the info object; they are not user fields.
const RESERVED = new Set(['level', 'message', 'timestamp', 'service']);

const redactFormat = winston.format((info) => {
  info.message = redactString(String(info.message));
  for (const key of Object.keys(info)) {
    if (RESERVED.has(key)) continue;
    const cleaned = redact({ [key]: info[key] }) as Record<string, unknown>;
    info[key] = cleaned[key];
  }
  return info;
});

const prettyLine = winston.format.printf((info) => {
  const { level, message, timestamp, service: _service, ...fields } = info;
  const extras = Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${String(timestamp).slice(11, 23)} ${level.toUpperCase().padEnd(5)} ${String(message)}${extras ? `  ${extras}` : ''}`;
});

class WinstonLogger implements Logger {
  constructor(private readonly inner: winston.Logger) {}
  debug(message: string, fields?: LogFields): void {
    this.inner.debug(message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.inner.info(message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.inner.warn(message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.inner.error(message, fields);
  }
  child(fields: LogFields): Logger {
    return new WinstonLogger(this.inner.child({ ...fields }));
  }
}

/**
 * A redacting structured logger. In `json` format it writes through
 * `@google-cloud/logging-winston` to stdout (Cloud Functions ships stdout to Cloud Logging
 * as structured entries, with severity); `pretty` is a readable line for local use.
 */
export async function createLogger(options: LoggerOptions): Promise<Logger> {
  const transports: winston.transport[] = [];
  if (options.format === 'json' && !options.stream) {
    const { LoggingWinston } = await import('@google-cloud/logging-winston');
    transports.push(new LoggingWinston({
        redirectToStdout: true,
        useMessageField: false,
        logName: options.service,
        ...(options.projectId ? { projectId: options.projectId } : {}),
      }));
  } else {
    transports.push(
      new winston.transports.Stream({
        stream: options.stream ?? process.stdout,
        format:
          options.format === 'json'
            ? winston.format.json()
            : winston.format.combine(winston.format.timestamp(), prettyLine),
      }),
    );
  }
  const inner = winston.createLogger({
    level: options.level,
    defaultMeta: { service: options.service },
    format: winston.format.combine(redactFormat(), winston.format.timestamp()),
    transports,
  });
  return new WinstonLogger(inner);
}
