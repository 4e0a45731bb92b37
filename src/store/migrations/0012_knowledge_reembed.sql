ALTER TABLE "knowledge_bases" ADD COLUMN "next_embedder_id" text;--> statement-breakpoint
ALTER TABLE "knowledge_bases" ADD COLUMN "next_dimensions" integer;--> statement-breakpoint
ALTER TABLE "knowledge_bases" ADD COLUMN "reembed_error" text;--> statement-breakpoint
ALTER TABLE "knowledge_bases" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "knowledge_bases" ADD COLUMN "lease_expires_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "knowledge_chunks" ADD COLUMN "next_embedding" real[];