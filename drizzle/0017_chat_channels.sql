CREATE TYPE "public"."chat_delivery_outcome" AS ENUM('received', 'run_queued', 'linked', 'link_code_invalid', 'unlinked', 'no_skill', 'not_permitted', 'ignored');--> statement-breakpoint
CREATE TABLE "channel_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"code_hash" varchar(64) NOT NULL,
	"code_expires_at" timestamp with time zone NOT NULL,
	"channel" "channel",
	"channel_user_id" varchar(255),
	"channel_username" varchar(255),
	"linked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	CONSTRAINT "channel_links_client_id_id_key" UNIQUE("client_id","id"),
	CONSTRAINT "channel_links_code_hash_format" CHECK ("channel_links"."code_hash" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "channel_links_linked_has_account" CHECK (("channel_links"."linked_at" IS NULL) = ("channel_links"."channel" IS NULL) AND ("channel_links"."linked_at" IS NULL) = ("channel_links"."channel_user_id" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "chat_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel" "channel" NOT NULL,
	"delivery_id" varchar(255) NOT NULL,
	"received_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"outcome" "chat_delivery_outcome" DEFAULT 'received' NOT NULL,
	"channel_user_id" varchar(255),
	"chat_id" varchar(255),
	"channel_link_id" uuid,
	"run_id" uuid
);
--> statement-breakpoint
ALTER TABLE "channel_links" ADD CONSTRAINT "channel_links_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_links" ADD CONSTRAINT "channel_links_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "channel_links_client_id_created_at_id_idx" ON "channel_links" USING btree ("client_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "channel_links_code_hash_key" ON "channel_links" USING btree ("code_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "channel_links_channel_channel_user_id_key" ON "channel_links" USING btree ("channel","channel_user_id");--> statement-breakpoint
CREATE INDEX "channel_links_user_id_idx" ON "channel_links" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "chat_deliveries_channel_delivery_id_key" ON "chat_deliveries" USING btree ("channel","delivery_id");--> statement-breakpoint
CREATE INDEX "chat_deliveries_received_at_idx" ON "chat_deliveries" USING btree ("received_at");
--> statement-breakpoint
-- Chat channels (src/channels). A person's links are tenant data they manage with
-- their own token (the receiver, on the system path, links them); the code's hash is never copied
-- into the audit trail.
SELECT app_private.secure_tenant_table('public.channel_links', 'SELECT, INSERT, UPDATE, DELETE', ARRAY['code_hash']);
--> statement-breakpoint
-- Chat deliveries: the system path only (an unlinked sender's delivery belongs to no client).
ALTER TABLE public.chat_deliveries ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.chat_deliveries FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY system_access ON public.chat_deliveries AS PERMISSIVE FOR ALL TO app_system USING (true) WITH CHECK (true);
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON public.chat_deliveries TO app_system;
