/** Fields attached to a log line; sensitive keys are redacted by every Logger implementation. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Structured logging. `child` binds fields (request id, CloudEvent id, uid) so every line
 * written through the child carries them.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}
