ALTER TABLE "runs" ALTER COLUMN "user_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "api_key_id" uuid;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_api_key_id_fkey" FOREIGN KEY ("client_id","api_key_id") REFERENCES "public"."api_keys"("client_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "runs_client_id_api_key_id_idx" ON "runs" USING btree ("client_id","api_key_id");--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_one_requester" CHECK (num_nonnulls("runs"."user_id", "runs"."api_key_id") = 1);