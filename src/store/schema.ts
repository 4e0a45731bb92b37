import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { ExecutionEventType } from '../model/events.ts';
import type { ExecutionError, ExecutionStatus, StepStatus, WaitingInfo } from '../model/execution.ts';
import type { ExecutionMode } from '../model/graph.ts';
import type { StepFailure } from '../model/step-failure.ts';

// Millisecond precision: timestamps round-trip through JS Dates exactly, which keeps list cursors exact.
const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });
const createdAt = () => at('created_at').notNull().defaultNow();
const updatedAt = () => at('updated_at').notNull().defaultNow();

/** A workspace is a "project" in the visualizer: it owns workflows and executions. */
export const workspaces = pgTable('workspaces', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  status: text('status').notNull().default('active'),
  priority: integer('priority').notNull().default(0),
  limits: jsonb('limits').notNull().default({}),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const workflows = pgTable(
  'workflows',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    // json, not jsonb: a graph keeps its key order (input fields are asked and shown in that order).
    draft: json('draft').notNull(),
    latestVersion: integer('latest_version'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: at('deleted_at'),
  },
  (t) => [
    // Slugs are unique among live workflows only, so a deleted workflow's slug can be reused.
    uniqueIndex('workflows_workspace_slug_live')
      .on(t.workspaceId, t.slug)
      .where(sql`${t.deletedAt} is null`),
    index('workflows_workspace_created').on(t.workspaceId, t.createdAt, t.id),
  ],
);

/** Immutable: a version is never updated once written. */
export const workflowVersions = pgTable(
  'workflow_versions',
  {
    workflowId: uuid('workflow_id')
      .notNull()
      .references(() => workflows.id),
    number: integer('number').notNull(),
    graph: json('graph').notNull(),
    hash: text('hash').notNull(),
    publishedBy: text('published_by'),
    publishedAt: at('published_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workflowId, t.number] })],
);

export const executions = pgTable(
  'executions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    workflowId: uuid('workflow_id')
      .notNull()
      .references(() => workflows.id),
    version: integer('version').notNull(),
    status: text('status').$type<ExecutionStatus>().notNull(),
    mode: text('mode').$type<ExecutionMode>().notNull(),
    // json, not jsonb: values come back with the key order the workflow produced.
    input: json('input').notNull().default({}),
    output: json('output'),
    error: jsonb('error').$type<ExecutionError>(),
    pausePoints: jsonb('pause_points').$type<string[]>().notNull().default([]),
    waiting: jsonb('waiting').$type<WaitingInfo>(),
    /** Highest event offset so far; bumped in the same transaction as each event, so offsets are gap-free. */
    lastOffset: integer('last_offset').notNull().default(0),
    /** Child executions (loop iterations, parallel branches, subworkflows) point at the step that spawned them. */
    parentExecutionId: uuid('parent_execution_id'),
    parentNodeId: text('parent_node_id'),
    /** The attempt of the parent step: retrying a loop step spawns fresh children. */
    parentAttempt: integer('parent_attempt'),
    iteration: integer('iteration'),
    /** For container children: the loop/parallel node whose children this execution runs. */
    scope: text('scope'),
    vars: jsonb('vars').notNull().default({}),
    /** When a waiting-for-time execution must wake up; survives restarts. */
    wakeAt: at('wake_at'),
    /** MAX_WORKFLOW_DURATION_MS (or the workflow's own timeout) from the start. */
    deadlineAt: at('deadline_at'),
    /** Queue mode: which run holds the execution, until when. A second run (after Redis lost its jobs) backs off. */
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: at('lease_expires_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    startedAt: at('started_at'),
    finishedAt: at('finished_at'),
  },
  (t) => [
    index('executions_workspace_created').on(t.workspaceId, t.createdAt, t.id),
    index('executions_status').on(t.status),
    index('executions_workflow').on(t.workflowId, t.createdAt),
    index('executions_wake')
      .on(t.wakeAt)
      .where(sql`${t.wakeAt} is not null`),
    // Spawning a child is idempotent: a re-run of the parent step finds the child it already made.
    uniqueIndex('executions_child')
      .on(t.parentExecutionId, t.parentNodeId, t.parentAttempt, t.iteration)
      .where(sql`${t.parentExecutionId} is not null`),
  ],
);

/** One row per step attempt. */
export const stepRuns = pgTable(
  'step_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    executionId: uuid('execution_id')
      .notNull()
      .references(() => executions.id, { onDelete: 'cascade' }),
    nodeId: text('node_id').notNull(),
    attempt: integer('attempt').notNull(),
    status: text('status').$type<StepStatus>().notNull(),
    input: json('input'),
    output: json('output'),
    /** The output handle the step took (`true`, `approved`, a route, `error`…); null for the plain output. */
    handle: text('handle'),
    error: jsonb('error').$type<StepFailure>(),
    startedAt: at('started_at'),
    finishedAt: at('finished_at'),
  },
  (t) => [uniqueIndex('step_runs_execution_node_attempt').on(t.executionId, t.nodeId, t.attempt)],
);

/** The append-only log every view (UI, sockets, long-poll, replay) reads from. */
export const executionEvents = pgTable(
  'execution_events',
  {
    executionId: uuid('execution_id')
      .notNull()
      .references(() => executions.id, { onDelete: 'cascade' }),
    offset: integer('offset').notNull(),
    type: text('type').$type<ExecutionEventType>().notNull(),
    nodeId: text('node_id'),
    payload: json('payload').notNull().default({}),
    at: at('at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.executionId, t.offset] })],
);

/** A chat bound to a workspace and optionally to a workflow and its current execution. */
export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    userId: text('user_id'),
    channel: text('channel').notNull().default('api'),
    workflowId: uuid('workflow_id').references(() => workflows.id),
    executionId: uuid('execution_id').references(() => executions.id),
    config: json('config').notNull().default({}),
    /** What the dialogue is in the middle of: inputs being collected, a pending confirmation. */
    state: json('state').notNull().default({}),
    turnCount: integer('turn_count').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    expiresAt: at('expires_at').notNull(),
    endedAt: at('ended_at'),
  },
  (t) => [
    index('conversations_workspace').on(t.workspaceId, t.createdAt),
    index('conversations_execution').on(t.executionId),
  ],
);

export const conversationTurns = pgTable(
  'conversation_turns',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    role: text('role').notNull(),
    text: text('text').notNull(),
    intent: text('intent'),
    confidence: doublePrecision('confidence'),
    action: json('action'),
    at: at('at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.seq] })],
);

// ---- Accounts (better-auth owns users, sessions, auth_accounts and auth_verifications; column names are its fields).

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  /** Instance admins manage workspaces and act as admin in every one; the first account becomes one. */
  instanceAdmin: boolean('instance_admin').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * Failed password sign-ins per email tried (SHA-256 of the normalized email), whether or not an account has it, so
 * the lockout answers the same for unknown emails and does not tell which ones exist.
 */
export const signInFailures = pgTable('sign_in_failures', {
  emailHash: text('email_hash').primaryKey(),
  /** Consecutive failures; reaching the limit sets `lockedUntil` and restarts the count. */
  failed: integer('failed').notNull().default(0),
  lockedUntil: at('locked_until'),
  updatedAt: updatedAt(),
});

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    token: text('token').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: at('expires_at').notNull(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

/** A way to sign in: `credential` (password hash) or an OAuth provider's account. */
export const authAccounts = pgTable(
  'auth_accounts',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: at('access_token_expires_at'),
    refreshTokenExpiresAt: at('refresh_token_expires_at'),
    scope: text('scope'),
    password: text('password'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('auth_accounts_user').on(t.userId)],
);

export const authVerifications = pgTable(
  'auth_verifications',
  {
    id: text('id').primaryKey(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: at('expires_at').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('auth_verifications_identifier').on(t.identifier)],
);

/** A user's role in a workspace: admin, editor or viewer. */
export const members = pgTable(
  'members',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), index('members_user').on(t.userId)],
);

/** An emailed link that makes its holder a member; only the token's hash is kept. */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    invitedBy: text('invited_by'),
    createdAt: createdAt(),
    expiresAt: at('expires_at').notNull(),
    acceptedAt: at('accepted_at'),
    revokedAt: at('revoked_at'),
  },
  (t) => [index('invitations_workspace').on(t.workspaceId, t.createdAt)],
);

/** A workspace-scoped key for scripts; only its SHA-256 is kept, the key is shown once. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    role: text('role').notNull(),
    /** The first characters of the key, so people can tell keys apart in lists. */
    prefix: text('prefix').notNull(),
    hash: text('hash').notNull().unique(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    lastUsedAt: at('last_used_at'),
    revokedAt: at('revoked_at'),
  },
  (t) => [index('api_keys_workspace').on(t.workspaceId, t.createdAt)],
);

/** Who did what, to which resource, from where, and how it ended. Never holds request bodies or secrets. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id'),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    actorLabel: text('actor_label'),
    action: text('action').notNull(),
    resourceType: text('resource_type'),
    resourceId: text('resource_id'),
    ip: text('ip'),
    outcome: text('outcome').notNull(),
    statusCode: integer('status_code'),
    at: at('at').notNull().defaultNow(),
  },
  (t) => [index('audit_log_workspace_at').on(t.workspaceId, t.at, t.id)],
);

/** Credentials blocks use, AES-256-GCM under ENCRYPTION_KEY; workflows refer to them by name. */
export const secrets = pgTable(
  'secrets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** base64 of iv (12 bytes) ‖ auth tag (16 bytes) ‖ ciphertext. */
    sealed: text('sealed').notNull(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('secrets_workspace_name').on(t.workspaceId, t.name)],
);

// ---- Triggers: webhooks, schedules, chat pages (#16) ----

/** Starts a workflow's published version from outside: a webhook, a schedule or a chat page. */
export const triggers = pgTable(
  'triggers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    workflowId: uuid('workflow_id')
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    type: text('type').$type<'webhook' | 'schedule' | 'chat'>().notNull(),
    enabled: boolean('enabled').notNull().default(true),
    config: jsonb('config').notNull(),
    /** The public address part (webhook path, chat slug), unique per workspace and type; null for schedules. */
    path: text('path'),
    /** Schedules: the first fire time not yet handled; the scheduler starts what is due from here. */
    nextFireAt: at('next_fire_at'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('triggers_workspace_type_path').on(t.workspaceId, t.type, t.path),
    index('triggers_workflow').on(t.workflowId, t.createdAt),
    index('triggers_due')
      .on(t.nextFireAt)
      .where(sql`${t.enabled} and ${t.type} = 'schedule'`),
  ],
);

/**
 * One row per delivery or fire that started (or is starting) an execution: the key is the idempotency key of a
 * webhook delivery or the ISO fire time of a schedule. The primary key makes each start happen once across every
 * process; the execution id is chosen before the execution is created, so a retry finds it.
 */
export const triggerFires = pgTable(
  'trigger_fires',
  {
    triggerId: uuid('trigger_id')
      .notNull()
      .references(() => triggers.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    executionId: uuid('execution_id').notNull(),
    at: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.triggerId, t.key] }), index('trigger_fires_at').on(t.at)],
);

// ---- Knowledge bases (#15) ----------------------------------------------------------------------------------------

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** Documents of a workspace that workflows and the chat answer from; vectors come from one recorded embedder. */
export const knowledgeBases = pgTable(
  'knowledge_bases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The embedder that made this base's vectors (`Embedder.id`) and their length. */
    embedderId: text('embedder_id').notNull(),
    dimensions: integer('dimensions').notNull(),
    /** Chunking settings, in characters. */
    chunkSize: integer('chunk_size').notNull(),
    chunkOverlap: integer('chunk_overlap').notNull(),
    /**
     * Re-embedding after the configured embedder changed: the embedder the base moves to, and the lease of the
     * process doing it (a durable job like a document's). The base keeps `embedderId` until every chunk has its
     * `nextEmbedding`, then switches in one transaction.
     */
    nextEmbedderId: text('next_embedder_id'),
    nextDimensions: integer('next_dimensions'),
    reembedError: text('reembed_error'),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: at('lease_expires_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('knowledge_bases_workspace_name').on(t.workspaceId, t.name)],
);

/**
 * One document and its ingestion, which is also its durable job: a process leases the row, chunks and embeds its
 * text; the chunks of `servingVersion` answer searches while `version` is being built.
 */
export const knowledgeDocuments = pgTable(
  'knowledge_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    knowledgeBaseId: uuid('knowledge_base_id')
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    /** Where it came from: a file name, a URL, or the title of a text body. Re-adding the same source replaces it. */
    source: text('source').notNull(),
    mediaType: text('media_type').notNull(),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** sha256 of the content as received; the same content again is a no-op. */
    contentHash: text('content_hash').notNull(),
    status: text('status').notNull(),
    error: text('error'),
    chunksTotal: integer('chunks_total').notNull().default(0),
    chunksEmbedded: integer('chunks_embedded').notNull().default(0),
    /** The version being (or last) ingested, and the one searches read (null until one is ready). */
    version: integer('version').notNull().default(1),
    servingVersion: integer('serving_version'),
    /** The document's text as parsed when it was added (light Markdown, see src/knowledge/chunk.ts). */
    text: text('text').notNull(),
    /** Size of the content as received. */
    bytes: integer('bytes').notNull(),
    attempts: integer('attempts').notNull().default(0),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: at('lease_expires_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('knowledge_documents_base_source').on(t.knowledgeBaseId, t.source),
    index('knowledge_documents_pending')
      .on(t.status, t.updatedAt)
      .where(sql`${t.status} in ('queued', 'parsing', 'embedding')`),
  ],
);

/** A passage of a document version: its text, where it sits (heading path, offsets), its words and its vector. */
export const knowledgeChunks = pgTable(
  'knowledge_chunks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => knowledgeDocuments.id, { onDelete: 'cascade' }),
    /** Repeated from the document so vector indexes can be per base (partial) and searches skip a join. */
    knowledgeBaseId: uuid('knowledge_base_id').notNull(),
    version: integer('version').notNull(),
    position: integer('position').notNull(),
    headingPath: text('heading_path').array().notNull(),
    text: text('text').notNull(),
    startOffset: integer('start_offset').notNull(),
    endOffset: integer('end_offset').notNull(),
    /** The words of the heading path and the text (`english` configuration), written with the chunk. */
    tsv: tsvector('tsv').notNull(),
    /** real[]: works without pgvector; where pgvector exists each base gets an HNSW index over `embedding::vector(n)`. */
    embedding: real('embedding').array(),
    /** The vector from the base's `nextEmbedderId` while it is re-embedded; moved into `embedding` at the switch. */
    nextEmbedding: real('next_embedding').array(),
  },
  (t) => [
    uniqueIndex('knowledge_chunks_document_version_position').on(t.documentId, t.version, t.position),
    index('knowledge_chunks_base').on(t.knowledgeBaseId),
    index('knowledge_chunks_tsv').using('gin', t.tsv),
  ],
);

// ---- SMS channel (trig-channels, #16): settings, contacts, opt-outs, inbound deliveries, outbox ----

/** Which workflow answers a workspace's SMS, and what numbers that are not contacts hear (null: nothing). */
export const smsSettings = pgTable('sms_settings', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  workflowId: uuid('workflow_id').references(() => workflows.id, { onDelete: 'set null' }),
  unknownReply: text('unknown_reply'),
  /** Contacts' conversations answer questions the NLU cannot place from this base (sms-knowledge). */
  knowledgeBaseId: uuid('knowledge_base_id').references(() => knowledgeBases.id, { onDelete: 'set null' }),
  updatedAt: updatedAt(),
});

/** A phone number allowed to talk to the workspace by SMS, with its role and its conversation. */
export const smsContacts = pgTable(
  'sms_contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    phone: text('phone').notNull(),
    name: text('name'),
    role: text('role').notNull().default('editor'),
    conversationId: uuid('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('sms_contacts_workspace_phone').on(t.workspaceId, t.phone)],
);

/** Numbers that sent STOP: nothing is sent to them until they send START. */
export const smsOptOuts = pgTable(
  'sms_opt_outs',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    phone: text('phone').notNull(),
    at: at('at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.phone] })],
);

/** One row per inbound MessageSid: a redelivery is answered with the stored reply instead of being handled again. */
export const smsInbound = pgTable(
  'sms_inbound',
  {
    messageSid: text('message_sid').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    fromPhone: text('from_phone').notNull(),
    /** The TwiML message text; null while the first delivery is still being handled. */
    reply: text('reply'),
    receivedAt: at('received_at').notNull().defaultNow(),
  },
  (t) => [index('sms_inbound_received').on(t.receivedAt)],
);

/** Outbound messages: a durable state machine, so a message is retried after failures but never sent twice. */
export const smsOutbox = pgTable(
  'sms_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** Who asked for it (execution:node:attempt:part, reply:<MessageSid>…): the same request is queued once. */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    toPhone: text('to_phone').notNull(),
    fromPhone: text('from_phone').notNull(),
    body: text('body').notNull(),
    encoding: text('encoding').notNull(),
    segments: integer('segments').notNull(),
    /** queued → sending → sent → delivered | undelivered | failed; or failed straight from queued/sending. */
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: at('next_attempt_at').notNull().defaultNow(),
    /** While `sending`: when the process that claimed it is presumed dead. */
    leaseUntil: at('lease_until'),
    providerSid: text('provider_sid').unique(),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('sms_outbox_due').on(t.status, t.nextAttemptAt),
    index('sms_outbox_workspace_created').on(t.workspaceId, t.createdAt, t.id),
  ],
);

// ---- Personal assistant (assistant, #16): tasks and reminders, and the people the assistant serves ----

/** A task of a workspace; a reminder goes out at `nextNotifyAt`, then bounded follow-ups until acknowledged. */
export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    notes: text('notes'),
    status: text('status').notNull().default('open'),
    /** The owner's IANA time zone: how "tomorrow at 9" was read and how times are said back. */
    timeZone: text('time_zone').notNull().default('UTC'),
    dueAt: at('due_at'),
    remindAt: at('remind_at'),
    /** Who the reminder goes to by SMS (E.164), when it belongs to a phone number. */
    phone: text('phone'),
    conversationId: uuid('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    /** Reminders sent for the current `remindAt`: the first one, then follow-ups. */
    remindersSent: integer('reminders_sent').notNull().default(0),
    nextNotifyAt: at('next_notify_at'),
    acknowledgedAt: at('acknowledged_at'),
    completedAt: at('completed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('tasks_workspace_created').on(t.workspaceId, t.createdAt, t.id),
    index('tasks_due_notify')
      .on(t.nextNotifyAt)
      .where(sql`${t.nextNotifyAt} is not null`),
  ],
);

/** A phone number the assistant serves: its workflow, time zone, daily summary time and what "that" refers to. */
export const assistantContacts = pgTable(
  'assistant_contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    phone: text('phone').notNull(),
    /** The assistant workflow that answers this number's texts. */
    workflowId: uuid('workflow_id')
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    timeZone: text('time_zone').notNull().default('UTC'),
    /** Local "HH:MM" of the daily summary; null: none. */
    summaryTime: text('summary_time'),
    /** The local date (YYYY-MM-DD) of the last summary sent, so each day has one. */
    lastSummaryOn: text('last_summary_on'),
    /** The task last added or reminded: what "done" or "snooze that" means. */
    lastTaskId: uuid('last_task_id').references(() => tasks.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('assistant_contacts_workspace_phone').on(t.workspaceId, t.phone)],
);
