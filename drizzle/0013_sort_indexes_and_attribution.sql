ALTER TABLE "replies" ALTER COLUMN "utm_code" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "api_keys_client_id_created_at_id_idx" ON "api_keys" USING btree ("client_id","created_at","id");--> statement-breakpoint
CREATE INDEX "memberships_client_id_created_at_id_idx" ON "memberships" USING btree ("client_id","created_at","id");--> statement-breakpoint
CREATE INDEX "brand_kits_client_id_created_at_id_idx" ON "brand_kits" USING btree ("client_id","created_at","id");--> statement-breakpoint
CREATE INDEX "knowledge_bases_client_id_created_at_id_idx" ON "knowledge_bases" USING btree ("client_id","created_at","id");--> statement-breakpoint
CREATE INDEX "feedback_client_id_overall_score_idx" ON "feedback" USING btree ("client_id","overall_score");--> statement-breakpoint
CREATE INDEX "runs_client_id_created_at_id_idx" ON "runs" USING btree ("client_id","created_at","id");--> statement-breakpoint
CREATE INDEX "authors_client_id_created_at_id_idx" ON "authors" USING btree ("client_id","created_at","id");--> statement-breakpoint
CREATE INDEX "escalations_client_id_priority_created_at_id_idx" ON "escalations" USING btree ("client_id","priority" DESC NULLS FIRST,"created_at","id");--> statement-breakpoint
CREATE INDEX "posts_client_id_detected_at_id_idx" ON "posts" USING btree ("client_id","detected_at","id");--> statement-breakpoint
CREATE INDEX "randomized_experiments_client_id_created_at_id_idx" ON "randomized_experiments" USING btree ("client_id","created_at","id");--> statement-breakpoint
CREATE INDEX "replies_client_id_created_at_id_idx" ON "replies" USING btree ("client_id","created_at","id");--> statement-breakpoint
CREATE INDEX "community_champions_client_id_created_at_id_idx" ON "community_champions" USING btree ("client_id","created_at","id");--> statement-breakpoint
CREATE INDEX "competitive_mentions_client_id_created_at_id_idx" ON "competitive_mentions" USING btree ("client_id","created_at","id");--> statement-breakpoint
CREATE INDEX "competitive_mentions_client_id_opportunity_score_id_idx" ON "competitive_mentions" USING btree ("client_id","opportunity_score","id");--> statement-breakpoint
CREATE INDEX "competitors_client_id_created_at_id_idx" ON "competitors" USING btree ("client_id","created_at","id");--> statement-breakpoint
CREATE INDEX "experiments_client_id_created_at_id_idx" ON "experiments" USING btree ("client_id","created_at","id");--> statement-breakpoint
CREATE INDEX "learning_events_client_id_created_at_id_idx" ON "learning_events" USING btree ("client_id","created_at","id");--> statement-breakpoint
CREATE INDEX "segmented_weights_client_id_created_at_id_idx" ON "segmented_weights" USING btree ("client_id","created_at","id");--> statement-breakpoint
CREATE INDEX "weight_adjustment_logs_client_id_created_at_id_idx" ON "weight_adjustment_logs" USING btree ("client_id","created_at","id");