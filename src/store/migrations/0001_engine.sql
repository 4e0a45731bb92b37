ALTER TABLE "execution_events" ALTER COLUMN "payload" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "execution_events" ALTER COLUMN "payload" SET DEFAULT '{}'::json;--> statement-breakpoint
ALTER TABLE "executions" ALTER COLUMN "input" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "executions" ALTER COLUMN "input" SET DEFAULT '{}'::json;--> statement-breakpoint
ALTER TABLE "executions" ALTER COLUMN "output" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "step_runs" ALTER COLUMN "input" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "step_runs" ALTER COLUMN "output" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "workflow_versions" ALTER COLUMN "graph" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "workflows" ALTER COLUMN "draft" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "last_offset" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "parent_node_id" text;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "parent_attempt" integer;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "iteration" integer;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "scope" text;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "vars" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "wake_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "deadline_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "step_runs" ADD COLUMN "handle" text;--> statement-breakpoint
CREATE INDEX "executions_wake" ON "executions" USING btree ("wake_at") WHERE "executions"."wake_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "executions_child" ON "executions" USING btree ("parent_execution_id","parent_node_id","parent_attempt","iteration") WHERE "executions"."parent_execution_id" is not null;