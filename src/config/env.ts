import { z } from 'zod';
import { allowEntryProblem } from '../net/address-policy.ts';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const url = (protocols: string[], hint: string) =>
  z.string().refine((v) => protocols.some((p) => v.startsWith(p)) && URL.canParse(v), hint);
/** A comma-separated list; blanks around and between the commas are dropped. */
const list = () => z.string().default('').transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

/** Every setting Duet reads, with the names operators know from the seeds. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(0, 65_535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: url(['postgres://', 'postgresql://'], 'must look like postgres://user:password@host:5432/dbname').optional(),
  DATABASE_POOL_MAX: int(1, 1000).default(10),
  DATABASE_QUERY_TIMEOUT_MS: int(1000, 3_600_000).default(60_000),
  REDIS_URL: url(['redis://', 'rediss://'], 'must look like redis://host:6379').optional(),
  QUEUE_LOCK_DURATION_MS: int(1000, 600_000).default(30_000),
  QUEUE_RECONCILE_INTERVAL_MS: int(500, 600_000).default(5000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  MAX_CONCURRENT_EXECUTIONS: int(1, 100_000).default(50),
  MAX_WORKFLOW_DURATION_MS: int(1000, 7 * 24 * 3_600_000).default(300_000),
  MAX_RETRY_ATTEMPTS: int(1, 20).default(3),
  MAX_STEP_OUTPUT_BYTES: int(1024, 64 * 1024 * 1024).default(1024 * 1024),
  FUNCTION_TIMEOUT_MS: int(10, 600_000).default(5000),
  FUNCTION_MEMORY_MB: int(1, 4096).default(64),
  /** Environment variables workflow templates may read as `env.NAME` (comma-separated names). */
  WORKFLOW_ENV_ALLOWLIST: list(),
  /**
   * Hosts `http` blocks may reach although they are private, loopback, link-local, metadata… (refused by default):
   * host names (exact, or `*.example.com` for its subdomains), IPs and CIDR ranges, comma-separated.
   */
  HTTP_ALLOWED_HOSTS: list().superRefine((entries, ctx) => {
    for (const entry of entries) {
      const problem = allowEntryProblem(entry);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
  }),
  MAX_REQUEST_BODY_BYTES: int(1024, 64 * 1024 * 1024).default(1024 * 1024),
  MAX_CONCURRENT_SESSIONS: int(1, 1_000_000).default(1000),
  SESSION_TIMEOUT_MS: int(60_000, 30 * 24 * 3_600_000).default(1_800_000),
  MAX_CONVERSATION_HISTORY: int(1, 10_000).default(100),
  NLP_PROVIDER: z.enum(['internal', 'openai', 'anthropic']).default('internal'),
  NLP_CONFIDENCE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.6),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: url(['http://', 'https://'], 'must be an http(s) URL such as http://localhost:11434/v1').optional(),
  OPENAI_MODEL: z.string().min(1).optional(),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_MODEL: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: url(['http://', 'https://'], 'must be an http(s) URL ending in /v1, such as https://gateway.example.com/v1').optional(),
  BETTER_AUTH_SECRET: z.string().min(1).optional(),
  ENCRYPTION_KEY: z.string().min(1).optional(),
  CORS_ORIGINS: list(),
  API_RATE_LIMIT_PER_MINUTE: int(1, 1_000_000).default(60),
  WS_MAX_CONNECTIONS: int(1, 1_000_000).default(10_000),
  METRICS_ENABLED: bool.default(true),
  /**
   * Guards /api/v1/admin/* (backup). Set: callers send `Authorization: Bearer <token>`. Unset: only direct
   * loopback callers (no proxy headers) are let in. Replaced by roles once accounts exist.
   */
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters (e.g. openssl rand -hex 32)').optional(),
  /** Ended executions older than this many days are deleted (0 = keep them forever). */
  EXECUTION_RETENTION_DAYS: int(0, 36_500).default(0),
  /** At most this many ended top-level executions are kept; older ones are deleted (0 = no limit). */
  EXECUTION_RETENTION_MAX_COUNT: int(0, 100_000_000).default(0),
  /** How often the retention sweep runs. */
  RETENTION_INTERVAL_MS: int(10_000, 24 * 3_600_000).default(3_600_000),
  /** Optional OpenTelemetry traces over OTLP/HTTP (JSON), e.g. http://otel-collector:4318; unset = no tracing. */
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['http://', 'https://'], 'must be an http(s) URL such as http://otel-collector:4318').optional(),
  OTEL_SERVICE_NAME: z.string().min(1).max(200).default('duet'),
  /** `duet doctor` warns when DATA_DIR's file system has less free space than this. */
  DISK_FREE_WARN_MB: int(0, 10_000_000).default(1024),
});

export type Config = z.infer<typeof configSchema>;

/** Raised when the environment is wrong; lists every problem so one restart fixes them all. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Duet cannot start: the configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}\nSet these environment variables (see docs/operations.md) and start again.`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration from an environment; empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const parsed = configSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const got = key in relevant && !/KEY|SECRET|PASSWORD|TOKEN|URL/.test(key) ? ` (got "${relevant[key]}")` : '';
      return `${key}: ${issue.message}${got}`;
    }));
  }
  const problems = crossFieldProblems(parsed.data);
  if (problems.length > 0) throw new ConfigError(problems);
  return parsed.data;
}

function crossFieldProblems(config: Config): string[] {
  const problems: string[] = [];
  if (config.NLP_PROVIDER === 'openai' && !config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) {
    problems.push('NLP_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local OpenAI-compatible server)');
  }
  if (config.NLP_PROVIDER === 'anthropic' && !config.ANTHROPIC_API_KEY) {
    problems.push('NLP_PROVIDER=anthropic needs ANTHROPIC_API_KEY');
  }
  if (config.REDIS_URL && !config.DATABASE_URL) {
    problems.push('REDIS_URL (queue mode, several processes) needs DATABASE_URL: the embedded database belongs to one process; set DATABASE_URL=postgres://… or unset REDIS_URL');
  }
  return problems;
}
