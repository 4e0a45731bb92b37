import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { allowEntryProblem } from '../net/address-policy.ts';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
/** proxy-addr's named ranges, accepted by fastify's trustProxy next to addresses and CIDRs. */
const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const proxyEntry = (entry: string) => {
  const [address = '', bits, ...rest] = entry.split('/');
  const max = isIP(address) === 4 ? 32 : 128;
  return (
    PROXY_RANGES.has(entry) ||
    (isIP(address) > 0 && rest.length === 0 && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max)))
  );
};
const url = (protocols: string[], hint: string) =>
  z.string().refine((v) => protocols.some((p) => v.startsWith(p)) && URL.canParse(v), hint);
/** A comma-separated list; blanks around and between the commas are dropped. */
const list = () =>
  z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );

/** Every setting Duet reads, with the names operators know from the seeds. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(0, 65_535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: url(
    ['postgres://', 'postgresql://'],
    'must look like postgres://user:password@host:5432/dbname',
  ).optional(),
  DATABASE_POOL_MAX: int(1, 1000).default(10),
  DATABASE_QUERY_TIMEOUT_MS: int(1000, 3_600_000).default(60_000),
  REDIS_URL: url(['redis://', 'rediss://'], 'must look like redis://host:6379').optional(),
  QUEUE_LOCK_DURATION_MS: int(1000, 600_000).default(30_000),
  QUEUE_RECONCILE_INTERVAL_MS: int(500, 600_000).default(5000),
  /** How often each process looks for schedule triggers whose fire time has come. */
  SCHEDULE_POLL_MS: int(100, 60_000).default(1000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  MAX_CONCURRENT_EXECUTIONS: int(1, 100_000).default(50),
  MAX_WORKFLOW_DURATION_MS: int(1000, 7 * 24 * 3_600_000).default(300_000),
  MAX_RETRY_ATTEMPTS: int(1, 20).default(3),
  /** Largest workflow graph accepted (nodes / edges); bigger ones are refused with 413 before any other check. */
  MAX_WORKFLOW_NODES: int(2, 100_000).default(2000),
  MAX_WORKFLOW_EDGES: int(1, 250_000).default(5000),
  MAX_STEP_OUTPUT_BYTES: int(1024, 64 * 1024 * 1024).default(1024 * 1024),
  FUNCTION_TIMEOUT_MS: int(10, 600_000).default(5000),
  FUNCTION_MEMORY_MB: int(1, 4096).default(64),
  /** Worker threads that run function blocks, off the event loop; more function steps at once wait for one. */
  FUNCTION_WORKERS: int(1, 256).default(() => Math.min(4, availableParallelism())),
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
  ANTHROPIC_BASE_URL: url(
    ['http://', 'https://'],
    'must be an http(s) URL ending in /v1, such as https://gateway.example.com/v1',
  ).optional(),
  /** Knowledge-base vectors: `internal` (offline, no key) or `openai` (any OpenAI-compatible /v1/embeddings). */
  EMBEDDINGS_PROVIDER: z.enum(['internal', 'openai']).default('internal'),
  EMBEDDINGS_BASE_URL: url(
    ['http://', 'https://'],
    'must be an http(s) URL ending in /v1, such as http://localhost:11434/v1',
  ).optional(),
  EMBEDDINGS_MODEL: z.string().min(1).max(200).optional(),
  /** The key for EMBEDDINGS_BASE_URL; OPENAI_API_KEY is used when unset. */
  EMBEDDINGS_API_KEY: z.string().min(1).optional(),
  /** Length of the vectors EMBEDDINGS_MODEL returns (1536 for text-embedding-3-small, 768 for nomic-embed-text). */
  EMBEDDINGS_DIMENSIONS: int(1, 16_000).optional(),
  /** Largest document accepted by upload, URL or body (413 beyond it). */
  KNOWLEDGE_MAX_FILE_BYTES: int(1024, 512 * 1024 * 1024).default(20 * 1024 * 1024),
  /** Signs session cookies. Required outside development (`openssl rand -base64 48`); a weak one is refused. */
  BETTER_AUTH_SECRET: z.string().min(1).optional(),
  /** 32 bytes as 64 hex characters or base64 (`openssl rand -hex 32`): seals workspace secrets with AES-256-GCM. */
  ENCRYPTION_KEY: z
    .string()
    .refine(
      (v) => encryptionKeyBytes(v) !== undefined,
      'must be 32 random bytes as 64 hex characters or base64 (openssl rand -hex 32)',
    )
    .optional(),
  /** The key being rotated away from: still opens secrets not yet re-sealed by `duet secrets rotate-key`. */
  ENCRYPTION_KEY_PREVIOUS: z
    .string()
    .refine(
      (v) => encryptionKeyBytes(v) !== undefined,
      'must be the previous ENCRYPTION_KEY: 32 bytes as 64 hex characters or base64',
    )
    .optional(),
  /** Where people reach Duet, e.g. https://duet.example.com: invitation links, OAuth callbacks, secure cookies. */
  PUBLIC_URL: url(
    ['http://', 'https://'],
    'must be the http(s) address people open, such as https://duet.example.com',
  ).optional(),
  /** Sends invitation emails: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465. */
  SMTP_URL: url(
    ['smtp://', 'smtps://'],
    'must be smtp://user:password@host:587 or smtps://user:password@host:465',
  ).optional(),
  /** The From of those emails, e.g. "Duet <duet@example.com>". */
  SMTP_FROM: z.string().min(3).max(320).optional(),
  GITHUB_CLIENT_ID: z.string().min(1).optional(),
  GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  /** Failed password sign-ins in a row that lock an account, and for how long. */
  AUTH_LOCKOUT_ATTEMPTS: int(1, 1000).default(5),
  AUTH_LOCKOUT_MINUTES: int(1, 7 * 24 * 60).default(15),
  /** Refused (401) /api requests a minute per client address before it gets 429 on every /api request. */
  AUTH_REFUSALS_PER_MINUTE: int(1, 1_000_000).default(30),
  /** Browser origins other than Duet's own that may call the API (comma-separated, e.g. https://app.example.com). */
  CORS_ORIGINS: list().pipe(
    z.array(
      z
        .string()
        .refine(
          (o) => URL.canParse(o) && new URL(o).origin === o,
          'each entry must be an origin such as https://app.example.com (scheme, host, optional port; no path)',
        ),
    ),
  ),
  /**
   * Whose X-Forwarded-For/-Proto headers to believe (client address for rate limits and audit, https for HSTS):
   * `false` nobody (default), `true` any peer (only when nothing can reach Duet except through the proxy), or
   * comma-separated proxy addresses, CIDRs or the ranges loopback, linklocal, uniquelocal.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v) =>
      v === 'true'
        ? true
        : v === 'false'
          ? false
          : v
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
    )
    .pipe(
      z.union([
        z.boolean(),
        z
          .array(
            z
              .string()
              .refine(
                proxyEntry,
                'each entry must be an IP address, a CIDR such as 10.0.0.0/8, or one of loopback, linklocal, uniquelocal',
              ),
          )
          .min(1),
      ]),
    ),
  /** API requests a minute per user or API key (per address for anonymous callers). */
  API_RATE_LIMIT_PER_MINUTE: int(1, 1_000_000).default(600),
  /**
   * How long a checked API key is trusted without asking the database again: a key revoked by another process (or
   * directly in the database) keeps working at most this long. 0 checks the database on every request.
   */
  API_KEY_CACHE_TTL_MS: int(0, 60_000).default(5000),
  /** Chat messages a minute per conversation, over HTTP and socket.io together. */
  CHAT_MESSAGES_PER_MINUTE: int(1, 1_000_000).default(60),
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
  OTEL_EXPORTER_OTLP_ENDPOINT: url(
    ['http://', 'https://'],
    'must be an http(s) URL such as http://otel-collector:4318',
  ).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).max(200).default('duet'),
  /** The Twilio-compatible SMS channel (docs/operations.md "SMS"): the account that sends, signs and receives. */
  /** The personal assistant: a reminder not acknowledged gets a follow-up after this, at most this many times. */
  ASSISTANT_FOLLOW_UP_MINUTES: int(1, 24 * 60).default(15),
  ASSISTANT_MAX_FOLLOW_UPS: int(0, 10).default(2),
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^[A-Za-z0-9]{1,64}$/, 'must be the account SID, e.g. AC0123…')
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(8, 'must be the account auth token').max(200).optional(),
  /** The number (E.164, e.g. +15005550006) outbound messages come from. */
  TWILIO_FROM: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +15005550006')
    .optional(),
  /** Where the Messages REST API lives; a Twilio-compatible provider or a test server may stand in. */
  TWILIO_BASE_URL: url(['http://', 'https://'], 'must be an http(s) URL such as https://api.twilio.com').default(
    'https://api.twilio.com',
  ),
  /** `duet doctor` warns when DATA_DIR's file system has less free space than this. */
  DISK_FREE_WARN_MB: int(0, 10_000_000).default(1024),
});

export type Config = z.infer<typeof configSchema>;

/** Raised when the environment is wrong; lists every problem so one restart fixes them all. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Duet cannot start: the configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}\nSet these environment variables (see docs/operations.md) and start again.`,
    );
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
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? '');
        const got = key in relevant && !/KEY|SECRET|PASSWORD|TOKEN|URL/.test(key) ? ` (got "${relevant[key]}")` : '';
        return `${key}: ${issue.message}${got}`;
      }),
    );
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
  if (config.SMTP_URL && !config.SMTP_FROM) {
    problems.push('SMTP_URL needs SMTP_FROM, the sender of invitation emails, such as "Duet <duet@example.com>"');
  }
  if (config.NODE_ENV !== 'development' && !config.BETTER_AUTH_SECRET) {
    problems.push(
      `BETTER_AUTH_SECRET is required when NODE_ENV=${config.NODE_ENV}; generate one with \`openssl rand -base64 48\``,
    );
  }
  if (config.BETTER_AUTH_SECRET && !strongSecret(config.BETTER_AUTH_SECRET)) {
    problems.push(
      'BETTER_AUTH_SECRET is too weak (it needs at least 32 characters and 128 bits of randomness); generate one with `openssl rand -base64 48`',
    );
  }
  if (config.NODE_ENV !== 'development' && !config.ENCRYPTION_KEY) {
    problems.push(
      `ENCRYPTION_KEY is required when NODE_ENV=${config.NODE_ENV}; generate one with \`openssl rand -hex 32\``,
    );
  }
  if (config.EMBEDDINGS_PROVIDER === 'openai') {
    if (!config.EMBEDDINGS_MODEL || !config.EMBEDDINGS_DIMENSIONS)
      problems.push(
        'EMBEDDINGS_PROVIDER=openai needs EMBEDDINGS_MODEL and EMBEDDINGS_DIMENSIONS (e.g. text-embedding-3-small and 1536)',
      );
    if (!config.EMBEDDINGS_BASE_URL && !config.EMBEDDINGS_API_KEY && !config.OPENAI_API_KEY)
      problems.push(
        'EMBEDDINGS_PROVIDER=openai needs EMBEDDINGS_API_KEY or OPENAI_API_KEY (or EMBEDDINGS_BASE_URL for a local server)',
      );
  }
  const twilio = [config.TWILIO_ACCOUNT_SID, config.TWILIO_AUTH_TOKEN, config.TWILIO_FROM];
  if (twilio.some(Boolean) && !twilio.every(Boolean)) {
    problems.push(
      'the SMS channel needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM together; set all three or none',
    );
  }
  if (config.REDIS_URL && !config.DATABASE_URL) {
    problems.push(
      'REDIS_URL (queue mode, several processes) needs DATABASE_URL: the embedded database belongs to one process; set DATABASE_URL=postgres://… or unset REDIS_URL',
    );
  }
  return problems;
}

/** The 32 key bytes of ENCRYPTION_KEY (64 hex characters or base64), or undefined when it is not that. */
export function encryptionKeyBytes(value: string): Buffer | undefined {
  const bytes = /^[0-9a-fA-F]{64}$/.test(value)
    ? Buffer.from(value, 'hex')
    : /^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(value)
      ? Buffer.from(value, 'base64')
      : undefined;
  return bytes?.length === 32 ? bytes : undefined;
}

/** Words of a placeholder copied from an example ("CHANGE-ME-openssl-rand-base64-48") rather than a generated secret. */
const PLACEHOLDER = /change.?me|set.?me|replace.?me|placeholder|example|openssl/i;

/**
 * At least 32 characters and 128 bits by the character frequencies of its unpredictable part: refuses "changeme…",
 * placeholders, repeated words and runs such as "abcdef" or "123456", however long.
 */
export function strongSecret(value: string): boolean {
  if (value.length < 32 || PLACEHOLDER.test(value)) return false;
  const novel = unpredictable(value.slice(0, 512));
  const counts = new Map<string, number>();
  for (const ch of novel) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const bitsPerChar = [...counts.values()].reduce(
    (bits, n) => bits - (n / novel.length) * Math.log2(n / novel.length),
    0,
  );
  return bitsPerChar * novel.length >= 128;
}

/** The characters of `value` that neither repeat an earlier stretch (3 or more characters) nor continue a run ("aaa", "abc", "321"). */
function unpredictable(value: string): string {
  let novel = '';
  for (let i = 0; i < value.length;) {
    let repeated = 0;
    while (i + repeated < value.length && value.slice(0, i).includes(value.slice(i, i + repeated + 1))) repeated++;
    if (repeated >= 3) {
      i += repeated;
      continue;
    }
    const step = (at: number) => value.charCodeAt(at) - value.charCodeAt(at - 1);
    if (i < 2 || step(i) !== step(i - 1) || Math.abs(step(i)) > 1) novel += value[i];
    i++;
  }
  return novel;
}

/** The limits a submitted workflow graph is validated with (`graph/validate`'s options), from the settings. */
export function graphLimits(config: Config): { maxRetryAttempts: number; maxNodes: number; maxEdges: number } {
  return {
    maxRetryAttempts: config.MAX_RETRY_ATTEMPTS,
    maxNodes: config.MAX_WORKFLOW_NODES,
    maxEdges: config.MAX_WORKFLOW_EDGES,
  };
}
