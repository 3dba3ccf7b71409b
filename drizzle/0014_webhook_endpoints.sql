CREATE TYPE "public"."webhook_endpoint_kind" AS ENUM('posts', 'runs');--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"kind" "webhook_endpoint_kind" NOT NULL,
	"description" varchar(500),
	"secret_version" integer DEFAULT 1 NOT NULL,
	"previous_secret_version" integer,
	"previous_secret_expires_at" timestamp with time zone,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	CONSTRAINT "webhook_endpoints_client_id_id_key" UNIQUE("client_id","id"),
	CONSTRAINT "webhook_endpoints_secret_version_positive" CHECK ("webhook_endpoints"."secret_version" >= 1)
);
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "endpoint_id" uuid;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "event_type" varchar(100);--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "response_status" smallint;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "error_code" varchar(100);--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_endpoints_client_id_created_at_id_idx" ON "webhook_endpoints" USING btree ("client_id","created_at","id");--> statement-breakpoint
-- Reason: webhook_deliveries is written only by the webhook receivers this release adds; it holds a handful of rows, so the lock lasts milliseconds (db:migrate runs each migration in one transaction, where CONCURRENTLY is not possible).
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX "webhook_deliveries_client_id_received_at_id_idx" ON "webhook_deliveries" USING btree ("client_id","received_at","id");--> statement-breakpoint
-- Reason: webhook_deliveries is written only by the webhook receivers this release adds; it holds a handful of rows, so the lock lasts milliseconds (db:migrate runs each migration in one transaction, where CONCURRENTLY is not possible).
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX "webhook_deliveries_client_id_endpoint_id_received_at_id_idx" ON "webhook_deliveries" USING btree ("client_id","endpoint_id","received_at","id");