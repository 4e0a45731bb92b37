CREATE TABLE "trigger_fires" (
	"trigger_id" uuid NOT NULL,
	"key" text NOT NULL,
	"execution_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trigger_fires_trigger_id_key_pk" PRIMARY KEY("trigger_id","key")
);
--> statement-breakpoint
CREATE TABLE "triggers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"workflow_id" uuid NOT NULL,
	"type" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"config" jsonb NOT NULL,
	"path" text,
	"next_fire_at" timestamp (3) with time zone,
	"created_by" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "trigger_fires" ADD CONSTRAINT "trigger_fires_trigger_id_triggers_id_fk" FOREIGN KEY ("trigger_id") REFERENCES "public"."triggers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "triggers" ADD CONSTRAINT "triggers_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "triggers" ADD CONSTRAINT "triggers_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "trigger_fires_at" ON "trigger_fires" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "triggers_workspace_type_path" ON "triggers" USING btree ("workspace_id","type","path");--> statement-breakpoint
CREATE INDEX "triggers_workflow" ON "triggers" USING btree ("workflow_id","created_at");--> statement-breakpoint
CREATE INDEX "triggers_due" ON "triggers" USING btree ("next_fire_at") WHERE "triggers"."enabled" and "triggers"."type" = 'schedule';