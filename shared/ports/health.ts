/** One dependency's health, as reported by `GET /health`. */
export interface DependencyHealth {
  readonly name: string;
  readonly ok: boolean;
  /** Where it is (host:port for emulators; "google-cloud" in production). Never a credential. */
  readonly target: string;
  readonly latencyMs: number;
  readonly error?: string;
}

export interface HealthProbe {
  readonly name: string;
  check(): Promise<DependencyHealth>;
}
