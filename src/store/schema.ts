import { sql } from 'drizzle-orm';
import {
  doublePrecision, index, integer, json, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';

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

export const workflows = pgTable('workflows', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id),
  name: text('name').notNull(),
  slug: text('slug').notNull(),
  // json, not jsonb: a graph keeps its key order (input fields are asked and shown in that order).
  draft: json('draft').notNull(),
  latestVersion: integer('latest_version'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  deletedAt: at('deleted_at'),
}, (t) => [
  // Slugs are unique among live workflows only, so a deleted workflow's slug can be reused.
  uniqueIndex('workflows_workspace_slug_live').on(t.workspaceId, t.slug).where(sql`${t.deletedAt} is null`),
  index('workflows_workspace_created').on(t.workspaceId, t.createdAt, t.id),
]);

/** Immutable: a version is never updated once written. */
export const workflowVersions = pgTable('workflow_versions', {
  workflowId: uuid('workflow_id').notNull().references(() => workflows.id),
  number: integer('number').notNull(),
  graph: json('graph').notNull(),
  hash: text('hash').notNull(),
  publishedBy: text('published_by'),
  publishedAt: at('published_at').notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.workflowId, t.number] })]);

export const executions = pgTable('executions', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id),
  workflowId: uuid('workflow_id').notNull().references(() => workflows.id),
  version: integer('version').notNull(),
  status: text('status').notNull(),
  mode: text('mode').notNull(),
  // json, not jsonb: values come back with the key order the workflow produced.
  input: json('input').notNull().default({}),
  output: json('output'),
  error: jsonb('error'),
  pausePoints: jsonb('pause_points').notNull().default([]),
  waiting: jsonb('waiting'),
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
}, (t) => [
  index('executions_workspace_created').on(t.workspaceId, t.createdAt, t.id),
  index('executions_status').on(t.status),
  index('executions_workflow').on(t.workflowId, t.createdAt),
  index('executions_wake').on(t.wakeAt).where(sql`${t.wakeAt} is not null`),
  // Spawning a child is idempotent: a re-run of the parent step finds the child it already made.
  uniqueIndex('executions_child').on(t.parentExecutionId, t.parentNodeId, t.parentAttempt, t.iteration).where(sql`${t.parentExecutionId} is not null`),
]);

/** One row per step attempt. */
export const stepRuns = pgTable('step_runs', {
  id: uuid('id').primaryKey().defaultRandom(),
  executionId: uuid('execution_id').notNull().references(() => executions.id, { onDelete: 'cascade' }),
  nodeId: text('node_id').notNull(),
  attempt: integer('attempt').notNull(),
  status: text('status').notNull(),
  input: json('input'),
  output: json('output'),
  /** The output handle the step took (`true`, `approved`, a route, `error`…); null for the plain output. */
  handle: text('handle'),
  error: jsonb('error'),
  startedAt: at('started_at'),
  finishedAt: at('finished_at'),
}, (t) => [uniqueIndex('step_runs_execution_node_attempt').on(t.executionId, t.nodeId, t.attempt)]);

/** The append-only log every view (UI, sockets, long-poll, replay) reads from. */
export const executionEvents = pgTable('execution_events', {
  executionId: uuid('execution_id').notNull().references(() => executions.id, { onDelete: 'cascade' }),
  offset: integer('offset').notNull(),
  type: text('type').notNull(),
  nodeId: text('node_id'),
  payload: json('payload').notNull().default({}),
  at: at('at').notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.executionId, t.offset] })]);

/** A chat bound to a workspace and optionally to a workflow and its current execution. */
export const conversations = pgTable('conversations', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id),
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
}, (t) => [
  index('conversations_workspace').on(t.workspaceId, t.createdAt),
  index('conversations_execution').on(t.executionId),
]);

export const conversationTurns = pgTable('conversation_turns', {
  conversationId: uuid('conversation_id').notNull().references(() => conversations.id, { onDelete: 'cascade' }),
  seq: integer('seq').notNull(),
  role: text('role').notNull(),
  text: text('text').notNull(),
  intent: text('intent'),
  confidence: doublePrecision('confidence'),
  action: json('action'),
  at: at('at').notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.conversationId, t.seq] })]);
