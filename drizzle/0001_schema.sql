CREATE TYPE "public"."advocate_status" AS ENUM('prospect', 'active', 'inactive', 'churned');--> statement-breakpoint
CREATE TYPE "public"."api_key_role" AS ENUM('admin', 'editor', 'viewer', 'service');--> statement-breakpoint
CREATE TYPE "public"."approval_status" AS ENUM('pending', 'approved', 'rejected', 'posted');--> statement-breakpoint
CREATE TYPE "public"."archetype" AS ENUM('checklist', 'mythbust', 'coach', 'storylet', 'humor_light', 'credibility_anchor', 'confident_recommender', 'problem_solution_direct');--> statement-breakpoint
CREATE TYPE "public"."audit_action" AS ENUM('insert', 'update', 'delete');--> statement-breakpoint
CREATE TYPE "public"."champion_tier" AS ENUM('bronze', 'silver', 'gold', 'platinum');--> statement-breakpoint
CREATE TYPE "public"."channel" AS ENUM('telegram', 'slack', 'web');--> statement-breakpoint
CREATE TYPE "public"."competitor_category" AS ENUM('direct', 'indirect', 'substitute');--> statement-breakpoint
CREATE TYPE "public"."dm_response_status" AS ENUM('pending', 'accepted', 'declined', 'no_response');--> statement-breakpoint
CREATE TYPE "public"."escalation_priority" AS ENUM('low', 'medium', 'high', 'urgent');--> statement-breakpoint
CREATE TYPE "public"."escalation_reason" AS ENUM('safety_concern', 'negative_sentiment', 'competitor_mention', 'high_value_author', 'legal_risk', 'low_confidence', 'other');--> statement-breakpoint
CREATE TYPE "public"."escalation_status" AS ENUM('open', 'assigned', 'resolved', 'dismissed');--> statement-breakpoint
CREATE TYPE "public"."experiment_status" AS ENUM('draft', 'running', 'stopped', 'concluded');--> statement-breakpoint
CREATE TYPE "public"."experiment_variant" AS ENUM('a', 'b');--> statement-breakpoint
CREATE TYPE "public"."feedback_source" AS ENUM('web', 'api', 'telegram', 'slack');--> statement-breakpoint
CREATE TYPE "public"."knowledge_source_type" AS ENUM('document', 'website', 'faq', 'product', 'manual', 'transcript');--> statement-breakpoint
CREATE TYPE "public"."kpi_type" AS ENUM('engagement', 'reach', 'conversion', 'sentiment', 'response_time', 'quality');--> statement-breakpoint
CREATE TYPE "public"."member_role" AS ENUM('owner', 'admin', 'editor', 'viewer');--> statement-breakpoint
CREATE TYPE "public"."operational_mode" AS ENUM('helpful', 'engagement', 'hybrid', 'disengaged');--> statement-breakpoint
CREATE TYPE "public"."output_format" AS ENUM('markdown', 'json', 'html');--> statement-breakpoint
CREATE TYPE "public"."platform" AS ENUM('twitter', 'reddit', 'threads');--> statement-breakpoint
CREATE TYPE "public"."power_tier" AS ENUM('micro', 'macro', 'mega');--> statement-breakpoint
CREATE TYPE "public"."price_point" AS ENUM('budget', 'mid', 'premium', 'luxury');--> statement-breakpoint
CREATE TYPE "public"."reply_type" AS ENUM('direct_reply', 'thread_reply', 'quote', 'dm');--> statement-breakpoint
CREATE TYPE "public"."run_status" AS ENUM('queued', 'running', 'completed', 'failed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."sentiment" AS ENUM('positive', 'neutral', 'negative', 'mixed');--> statement-breakpoint
CREATE TYPE "public"."skill_type" AS ENUM('simple', 'with_rules', 'complex');--> statement-breakpoint
CREATE TYPE "public"."user_satisfaction" AS ENUM('satisfied', 'neutral', 'dissatisfied', 'unknown');--> statement-breakpoint
CREATE TYPE "public"."webhook_delivery_status" AS ENUM('received', 'processed', 'failed');--> statement-breakpoint
CREATE TABLE "clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(255) NOT NULL,
	"slug" varchar(100) NOT NULL,
	"description" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"storage_prefix" varchar(500) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clients_slug_format" CHECK ("clients"."slug" ~ '^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$'),
	CONSTRAINT "clients_storage_prefix_format" CHECK ("clients"."storage_prefix" ~ '^[a-z0-9/_-]+/$')
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"name" varchar(100) NOT NULL,
	"prefix" varchar(16) NOT NULL,
	"key_hash" char(64) NOT NULL,
	"role" "api_key_role" NOT NULL,
	"created_by" uuid,
	"last_used_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_keys_client_id_id_key" UNIQUE("client_id","id"),
	CONSTRAINT "api_keys_key_hash_format" CHECK ("api_keys"."key_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" "member_role" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memberships_client_id_id_key" UNIQUE("client_id","id")
);
--> statement-breakpoint
CREATE TABLE "user_channels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"channel" "channel" NOT NULL,
	"channel_user_id" varchar(255) NOT NULL,
	"channel_username" varchar(255),
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" varchar(320) NOT NULL,
	"display_name" varchar(255),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "brand_kits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"name" varchar(255) NOT NULL,
	"description" varchar(1000),
	"tone" jsonb NOT NULL,
	"colors" jsonb NOT NULL,
	"logo_refs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"fonts" jsonb,
	"reply_signature" varchar(100),
	"prohibited_claims" text[] DEFAULT '{}'::text[] NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "brand_kits_client_id_id_key" UNIQUE("client_id","id")
);
--> statement-breakpoint
CREATE TABLE "knowledge_bases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"name" varchar(255) NOT NULL,
	"description" varchar(1000),
	"source_type" "knowledge_source_type" NOT NULL,
	"source_ref" varchar(500),
	"is_active" boolean DEFAULT true NOT NULL,
	"is_processed" boolean DEFAULT false NOT NULL,
	"chunk_count" integer DEFAULT 0 NOT NULL,
	"token_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "knowledge_bases_client_id_id_key" UNIQUE("client_id","id"),
	CONSTRAINT "knowledge_bases_counts_nonnegative" CHECK ("knowledge_bases"."chunk_count" >= 0 AND "knowledge_bases"."token_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "knowledge_chunks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"knowledge_base_id" uuid NOT NULL,
	"content" text NOT NULL,
	"embedding" vector(1536),
	"embedding_model" varchar(100),
	"chunk_index" integer NOT NULL,
	"token_count" integer NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('english', content)) STORED NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "knowledge_chunks_client_id_id_key" UNIQUE("client_id","id"),
	CONSTRAINT "knowledge_chunks_chunk_index_nonnegative" CHECK ("knowledge_chunks"."chunk_index" >= 0),
	CONSTRAINT "knowledge_chunks_token_count_nonnegative" CHECK ("knowledge_chunks"."token_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"output_id" uuid NOT NULL,
	"reviewer_id" uuid,
	"accuracy_score" integer,
	"quality_score" integer,
	"usefulness_score" integer,
	"rule_compliance_score" integer,
	"overall_score" integer NOT NULL,
	"what_worked_well" text,
	"issues" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"suggested_rule_changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"source" "feedback_source" NOT NULL,
	"reviewer_name" varchar(100),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feedback_client_id_id_key" UNIQUE("client_id","id"),
	CONSTRAINT "feedback_scores_range" CHECK ("feedback"."overall_score" BETWEEN 1 AND 5
        AND coalesce("feedback"."accuracy_score", 1) BETWEEN 1 AND 5
        AND coalesce("feedback"."quality_score", 1) BETWEEN 1 AND 5
        AND coalesce("feedback"."usefulness_score", 1) BETWEEN 1 AND 5
        AND coalesce("feedback"."rule_compliance_score", 1) BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "outputs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"object_key" varchar(500) NOT NULL,
	"format" "output_format" DEFAULT 'markdown' NOT NULL,
	"title" varchar(255),
	"preview" text,
	"size_bytes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outputs_client_id_id_key" UNIQUE("client_id","id"),
	CONSTRAINT "outputs_preview_length" CHECK (char_length("outputs"."preview") <= 500),
	CONSTRAINT "outputs_size_nonnegative" CHECK ("outputs"."size_bytes" >= 0)
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"skill_id" uuid NOT NULL,
	"status" "run_status" DEFAULT 'queued' NOT NULL,
	"user_message" text NOT NULL,
	"external_event_id" varchar(100),
	"tokens_input" integer,
	"tokens_output" integer,
	"error_message" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "runs_client_id_id_key" UNIQUE("client_id","id"),
	CONSTRAINT "runs_tokens_nonnegative" CHECK (coalesce("runs"."tokens_input", 0) >= 0 AND coalesce("runs"."tokens_output", 0) >= 0),
	CONSTRAINT "runs_started_when_not_queued" CHECK ("runs"."status" = 'queued' OR "runs"."status" = 'cancelled' OR "runs"."started_at" IS NOT NULL),
	CONSTRAINT "runs_completed_when_finished" CHECK (("runs"."status" IN ('completed', 'failed', 'cancelled')) = ("runs"."completed_at" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "skills" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(100) NOT NULL,
	"description" text NOT NULL,
	"type" "skill_type" NOT NULL,
	"storage_key" varchar(500) NOT NULL,
	"has_rules" boolean DEFAULT false NOT NULL,
	"has_subdirectories" boolean DEFAULT false NOT NULL,
	"trigger_keywords" text[] NOT NULL,
	"related_skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "skills_name_format" CHECK ("skills"."name" ~ '^[a-z0-9][a-z0-9-]*$')
);
--> statement-breakpoint
CREATE TABLE "authors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"platform" "platform" NOT NULL,
	"platform_id" varchar(100) NOT NULL,
	"handle" varchar(100) NOT NULL,
	"display_name" varchar(255),
	"follower_count" integer DEFAULT 0 NOT NULL,
	"is_verified" boolean DEFAULT false NOT NULL,
	"is_power_user" boolean DEFAULT false NOT NULL,
	"power_tier" "power_tier",
	"archetype_tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"relationship_score" real DEFAULT 0.5 NOT NULL,
	"interaction_history" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "authors_client_id_id_key" UNIQUE("client_id","id"),
	CONSTRAINT "authors_relationship_score_range" CHECK ("authors"."relationship_score" BETWEEN 0 AND 1),
	CONSTRAINT "authors_follower_count_nonnegative" CHECK ("authors"."follower_count" >= 0),
	CONSTRAINT "authors_seen_order" CHECK ("authors"."first_seen_at" <= "authors"."last_seen_at")
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"post_id" uuid NOT NULL,
	"sss_score" real NOT NULL,
	"ars_score" real NOT NULL,
	"evs_score" real NOT NULL,
	"trs_score" real NOT NULL,
	"composite_score" real NOT NULL,
	"mode" "operational_mode" NOT NULL,
	"archetype" "archetype" NOT NULL,
	"safety_flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"signals" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"temporal_context" jsonb,
	"competitor_detected" boolean DEFAULT false NOT NULL,
	"is_power_user" boolean DEFAULT false NOT NULL,
	"experiment_id" uuid,
	"experiment_variant" "experiment_variant",
	"is_randomized_experiment" boolean DEFAULT false NOT NULL,
	"predicted_mode" "operational_mode",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "decisions_client_id_id_key" UNIQUE("client_id","id"),
	CONSTRAINT "decisions_sss_score_range" CHECK ("decisions"."sss_score" BETWEEN 0 AND 1),
	CONSTRAINT "decisions_ars_score_range" CHECK ("decisions"."ars_score" BETWEEN 0 AND 1),
	CONSTRAINT "decisions_evs_score_range" CHECK ("decisions"."evs_score" BETWEEN 0 AND 1),
	CONSTRAINT "decisions_trs_score_range" CHECK ("decisions"."trs_score" BETWEEN 0 AND 1),
	CONSTRAINT "decisions_composite_score_range" CHECK ("decisions"."composite_score" BETWEEN 0 AND 1),
	CONSTRAINT "decisions_variant_needs_experiment" CHECK ("decisions"."experiment_variant" IS NULL OR "decisions"."experiment_id" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "escalations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"post_id" uuid NOT NULL,
	"decision_id" uuid,
	"reply_id" uuid,
	"reason" "escalation_reason" NOT NULL,
	"priority" "escalation_priority" DEFAULT 'medium' NOT NULL,
	"status" "escalation_status" DEFAULT 'open' NOT NULL,
	"assigned_to" uuid,
	"resolved_by" uuid,
	"resolution_notes" text,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "escalations_client_id_id_key" UNIQUE("client_id","id"),
	CONSTRAINT "escalations_resolved_has_time" CHECK (("escalations"."status" IN ('resolved', 'dismissed')) = ("escalations"."resolved_at" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "posts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"platform" "platform" NOT NULL,
	"platform_post_id" varchar(100) NOT NULL,
	"author_id" uuid NOT NULL,
	"content" text NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"keyword_matches" text[] DEFAULT '{}'::text[] NOT NULL,
	"keyword_categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"spam_filtered" boolean DEFAULT false NOT NULL,
	"raw_metrics" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"error_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "posts_client_id_id_key" UNIQUE("client_id","id"),
	CONSTRAINT "posts_content_length" CHECK (char_length("posts"."content") BETWEEN 1 AND 5000),
	CONSTRAINT "posts_error_count_nonnegative" CHECK ("posts"."error_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "randomized_experiments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"decision_id" uuid NOT NULL,
	"predicted_mode" "operational_mode" NOT NULL,
	"actual_mode" "operational_mode" NOT NULL,
	"predicted_outcome" real,
	"actual_outcome" real,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "randomized_experiments_client_id_id_key" UNIQUE("client_id","id")
);
--> statement-breakpoint
CREATE TABLE "replies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"decision_id" uuid NOT NULL,
	"content" text NOT NULL,
	"archetype" "archetype" NOT NULL,
	"platform" "platform" NOT NULL,
	"platform_post_id" varchar(100),
	"utm_code" varchar(100),
	"help_count" integer DEFAULT 0 NOT NULL,
	"reply_type" "reply_type" DEFAULT 'direct_reply' NOT NULL,
	"approval_status" "approval_status" DEFAULT 'pending' NOT NULL,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"rejection_reason" text,
	"posted_at" timestamp with time zone,
	"metrics" jsonb,
	"deleted_at" timestamp with time zone,
	"delete_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "replies_client_id_id_key" UNIQUE("client_id","id"),
	CONSTRAINT "replies_content_length" CHECK (char_length("replies"."content") BETWEEN 10 AND 1000),
	CONSTRAINT "replies_utm_code_format" CHECK ("replies"."utm_code" ~ '^[a-z0-9_-]+$'),
	CONSTRAINT "replies_help_count_nonnegative" CHECK ("replies"."help_count" >= 0),
	CONSTRAINT "replies_posted_has_time" CHECK (("replies"."approval_status" = 'posted') = ("replies"."posted_at" IS NOT NULL)),
	CONSTRAINT "replies_rejected_has_reason" CHECK ("replies"."approval_status" <> 'rejected' OR "replies"."rejection_reason" IS NOT NULL),
	CONSTRAINT "replies_deleted_has_reason" CHECK ("replies"."deleted_at" IS NULL OR "replies"."delete_reason" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "community_champions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"tier" "champion_tier" DEFAULT 'bronze' NOT NULL,
	"engagement_count" integer DEFAULT 0 NOT NULL,
	"dm_sent_at" timestamp with time zone,
	"dm_response" "dm_response_status",
	"sample_sent" boolean DEFAULT false NOT NULL,
	"converted" boolean DEFAULT false NOT NULL,
	"advocate_status" "advocate_status" DEFAULT 'prospect' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "community_champions_client_id_id_key" UNIQUE("client_id","id"),
	CONSTRAINT "community_champions_engagement_nonnegative" CHECK ("community_champions"."engagement_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "competitive_mentions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"post_id" uuid NOT NULL,
	"competitor_id" uuid NOT NULL,
	"sentiment" "sentiment" NOT NULL,
	"satisfaction" "user_satisfaction" DEFAULT 'unknown' NOT NULL,
	"opportunity_score" real DEFAULT 0 NOT NULL,
	"replied" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "competitive_mentions_client_id_id_key" UNIQUE("client_id","id"),
	CONSTRAINT "competitive_mentions_opportunity_score_range" CHECK ("competitive_mentions"."opportunity_score" BETWEEN 0 AND 1)
);
--> statement-breakpoint
CREATE TABLE "competitors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"name" varchar(255) NOT NULL,
	"category" "competitor_category" NOT NULL,
	"primary_mechanism" varchar(255),
	"price_point" "price_point",
	"brand_keywords" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "competitors_client_id_id_key" UNIQUE("client_id","id")
);
--> statement-breakpoint
CREATE TABLE "experiments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"name" varchar(255) NOT NULL,
	"description" text,
	"variant_a" jsonb NOT NULL,
	"variant_b" jsonb NOT NULL,
	"metric" varchar(100) NOT NULL,
	"traffic_split" real DEFAULT 0.5 NOT NULL,
	"status" "experiment_status" DEFAULT 'draft' NOT NULL,
	"start_date" timestamp with time zone,
	"end_date" timestamp with time zone,
	"results" jsonb,
	"winner" "experiment_variant",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "experiments_client_id_id_key" UNIQUE("client_id","id"),
	CONSTRAINT "experiments_traffic_split_range" CHECK ("experiments"."traffic_split" BETWEEN 0 AND 1),
	CONSTRAINT "experiments_dates_order" CHECK ("experiments"."end_date" IS NULL OR "experiments"."start_date" IS NULL OR "experiments"."start_date" <= "experiments"."end_date"),
	CONSTRAINT "experiments_winner_when_concluded" CHECK ("experiments"."winner" IS NULL OR "experiments"."status" = 'concluded')
);
--> statement-breakpoint
CREATE TABLE "kpi_metrics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"date" date NOT NULL,
	"platform" "platform",
	"metric_type" "kpi_type" NOT NULL,
	"metric_name" varchar(100) NOT NULL,
	"value" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kpi_metrics_client_id_id_key" UNIQUE("client_id","id"),
	CONSTRAINT "kpi_metrics_client_id_date_platform_metric_type_metric_name_key" UNIQUE NULLS NOT DISTINCT("client_id","date","platform","metric_type","metric_name")
);
--> statement-breakpoint
CREATE TABLE "learning_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"date" date NOT NULL,
	"adjustment_type" varchar(50) NOT NULL,
	"adjustment" jsonb NOT NULL,
	"predicted_improvement" real,
	"baseline_performance" real,
	"actual_improvement" real,
	"accuracy" real,
	"evaluated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "learning_events_client_id_id_key" UNIQUE("client_id","id"),
	CONSTRAINT "learning_events_accuracy_range" CHECK ("learning_events"."accuracy" BETWEEN 0 AND 1)
);
--> statement-breakpoint
CREATE TABLE "segmented_weights" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"segment_type" varchar(50) NOT NULL,
	"segment_key" varchar(255) NOT NULL,
	"sss_weight" real NOT NULL,
	"ars_weight" real NOT NULL,
	"evs_weight" real NOT NULL,
	"trs_weight" real NOT NULL,
	"sample_size" integer DEFAULT 0 NOT NULL,
	"performance" real,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "segmented_weights_client_id_id_key" UNIQUE("client_id","id"),
	CONSTRAINT "segmented_weights_sss_weight_range" CHECK ("segmented_weights"."sss_weight" BETWEEN 0 AND 1),
	CONSTRAINT "segmented_weights_ars_weight_range" CHECK ("segmented_weights"."ars_weight" BETWEEN 0 AND 1),
	CONSTRAINT "segmented_weights_evs_weight_range" CHECK ("segmented_weights"."evs_weight" BETWEEN 0 AND 1),
	CONSTRAINT "segmented_weights_trs_weight_range" CHECK ("segmented_weights"."trs_weight" BETWEEN 0 AND 1),
	CONSTRAINT "segmented_weights_sample_size_nonnegative" CHECK ("segmented_weights"."sample_size" >= 0)
);
--> statement-breakpoint
CREATE TABLE "weight_adjustment_logs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"date" date NOT NULL,
	"action" varchar(50) NOT NULL,
	"reason" text NOT NULL,
	"valid_segments" integer DEFAULT 0 NOT NULL,
	"total_segments" integer DEFAULT 0 NOT NULL,
	"sample_sizes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"old_weights" jsonb NOT NULL,
	"new_weights" jsonb NOT NULL,
	"predicted_improvement" real,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "weight_adjustment_logs_client_id_id_key" UNIQUE("client_id","id"),
	CONSTRAINT "weight_adjustment_logs_segments" CHECK ("weight_adjustment_logs"."valid_segments" BETWEEN 0 AND "weight_adjustment_logs"."total_segments")
);
--> statement-breakpoint
CREATE TABLE "audit_logs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"entity_type" varchar(64) NOT NULL,
	"entity_id" uuid NOT NULL,
	"action" "audit_action" NOT NULL,
	"actor_id" uuid,
	"changed_columns" text[] DEFAULT '{}'::text[] NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"source" varchar(50) NOT NULL,
	"delivery_id" varchar(255) NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" "webhook_delivery_status" DEFAULT 'received' NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_client_id_id_key" UNIQUE("client_id","id")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_channels" ADD CONSTRAINT "user_channels_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "brand_kits" ADD CONSTRAINT "brand_kits_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_bases" ADD CONSTRAINT "knowledge_bases_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_chunks" ADD CONSTRAINT "knowledge_chunks_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_chunks" ADD CONSTRAINT "knowledge_chunks_knowledge_base_id_fkey" FOREIGN KEY ("client_id","knowledge_base_id") REFERENCES "public"."knowledge_bases"("client_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_output_id_fkey" FOREIGN KEY ("client_id","output_id") REFERENCES "public"."outputs"("client_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outputs" ADD CONSTRAINT "outputs_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outputs" ADD CONSTRAINT "outputs_run_id_fkey" FOREIGN KEY ("client_id","run_id") REFERENCES "public"."runs"("client_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_skill_id_skills_id_fk" FOREIGN KEY ("skill_id") REFERENCES "public"."skills"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authors" ADD CONSTRAINT "authors_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_post_id_fkey" FOREIGN KEY ("client_id","post_id") REFERENCES "public"."posts"("client_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_experiment_id_fkey" FOREIGN KEY ("client_id","experiment_id") REFERENCES "public"."experiments"("client_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_assigned_to_users_id_fk" FOREIGN KEY ("assigned_to") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_post_id_fkey" FOREIGN KEY ("client_id","post_id") REFERENCES "public"."posts"("client_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_decision_id_fkey" FOREIGN KEY ("client_id","decision_id") REFERENCES "public"."decisions"("client_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_reply_id_fkey" FOREIGN KEY ("client_id","reply_id") REFERENCES "public"."replies"("client_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("client_id","author_id") REFERENCES "public"."authors"("client_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "randomized_experiments" ADD CONSTRAINT "randomized_experiments_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "randomized_experiments" ADD CONSTRAINT "randomized_experiments_decision_id_fkey" FOREIGN KEY ("client_id","decision_id") REFERENCES "public"."decisions"("client_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replies" ADD CONSTRAINT "replies_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replies" ADD CONSTRAINT "replies_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replies" ADD CONSTRAINT "replies_decision_id_fkey" FOREIGN KEY ("client_id","decision_id") REFERENCES "public"."decisions"("client_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_champions" ADD CONSTRAINT "community_champions_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_champions" ADD CONSTRAINT "community_champions_author_id_fkey" FOREIGN KEY ("client_id","author_id") REFERENCES "public"."authors"("client_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competitive_mentions" ADD CONSTRAINT "competitive_mentions_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competitive_mentions" ADD CONSTRAINT "competitive_mentions_post_id_fkey" FOREIGN KEY ("client_id","post_id") REFERENCES "public"."posts"("client_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competitive_mentions" ADD CONSTRAINT "competitive_mentions_competitor_id_fkey" FOREIGN KEY ("client_id","competitor_id") REFERENCES "public"."competitors"("client_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competitors" ADD CONSTRAINT "competitors_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_metrics" ADD CONSTRAINT "kpi_metrics_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_events" ADD CONSTRAINT "learning_events_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segmented_weights" ADD CONSTRAINT "segmented_weights_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "weight_adjustment_logs" ADD CONSTRAINT "weight_adjustment_logs_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "clients_slug_key" ON "clients" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "clients_storage_prefix_key" ON "clients" USING btree ("storage_prefix");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "api_keys_created_by_idx" ON "api_keys" USING btree ("created_by");--> statement-breakpoint
CREATE UNIQUE INDEX "memberships_client_id_user_id_key" ON "memberships" USING btree ("client_id","user_id");--> statement-breakpoint
CREATE INDEX "memberships_user_id_idx" ON "memberships" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "user_channels_channel_channel_user_id_key" ON "user_channels" USING btree ("channel","channel_user_id");--> statement-breakpoint
CREATE INDEX "user_channels_user_id_idx" ON "user_channels" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "brand_kits_one_default_per_client" ON "brand_kits" USING btree ("client_id") WHERE "brand_kits"."is_default";--> statement-breakpoint
CREATE INDEX "knowledge_bases_client_id_source_type_idx" ON "knowledge_bases" USING btree ("client_id","source_type");--> statement-breakpoint
CREATE INDEX "knowledge_chunks_client_id_knowledge_base_id_idx" ON "knowledge_chunks" USING btree ("client_id","knowledge_base_id");--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_chunks_knowledge_base_id_chunk_index_key" ON "knowledge_chunks" USING btree ("knowledge_base_id","chunk_index");--> statement-breakpoint
CREATE INDEX "knowledge_chunks_embedding_hnsw_idx" ON "knowledge_chunks" USING hnsw ("embedding" vector_cosine_ops);--> statement-breakpoint
CREATE INDEX "knowledge_chunks_search_vector_idx" ON "knowledge_chunks" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "feedback_client_id_output_id_idx" ON "feedback" USING btree ("client_id","output_id");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_output_id_key" ON "feedback" USING btree ("output_id");--> statement-breakpoint
CREATE INDEX "feedback_reviewer_id_idx" ON "feedback" USING btree ("reviewer_id");--> statement-breakpoint
CREATE INDEX "feedback_client_id_created_at_idx" ON "feedback" USING btree ("client_id","created_at");--> statement-breakpoint
CREATE INDEX "outputs_client_id_run_id_idx" ON "outputs" USING btree ("client_id","run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "outputs_object_key_key" ON "outputs" USING btree ("object_key");--> statement-breakpoint
CREATE INDEX "outputs_client_id_created_at_idx" ON "outputs" USING btree ("client_id","created_at");--> statement-breakpoint
CREATE INDEX "runs_user_id_idx" ON "runs" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "runs_skill_id_idx" ON "runs" USING btree ("skill_id");--> statement-breakpoint
CREATE INDEX "runs_client_id_status_idx" ON "runs" USING btree ("client_id","status");--> statement-breakpoint
CREATE INDEX "runs_client_id_queued_at_idx" ON "runs" USING btree ("client_id","queued_at");--> statement-breakpoint
CREATE UNIQUE INDEX "skills_name_key" ON "skills" USING btree ("name");--> statement-breakpoint
CREATE INDEX "skills_type_idx" ON "skills" USING btree ("type");--> statement-breakpoint
CREATE INDEX "skills_trigger_keywords_idx" ON "skills" USING gin ("trigger_keywords");--> statement-breakpoint
CREATE UNIQUE INDEX "authors_client_id_platform_platform_id_key" ON "authors" USING btree ("client_id","platform","platform_id");--> statement-breakpoint
CREATE INDEX "authors_client_id_platform_handle_idx" ON "authors" USING btree ("client_id","platform","handle");--> statement-breakpoint
CREATE INDEX "authors_client_id_is_power_user_idx" ON "authors" USING btree ("client_id","is_power_user");--> statement-breakpoint
CREATE INDEX "decisions_client_id_post_id_idx" ON "decisions" USING btree ("client_id","post_id");--> statement-breakpoint
CREATE INDEX "decisions_client_id_experiment_id_idx" ON "decisions" USING btree ("client_id","experiment_id");--> statement-breakpoint
CREATE INDEX "decisions_client_id_created_at_idx" ON "decisions" USING btree ("client_id","created_at");--> statement-breakpoint
CREATE INDEX "decisions_client_id_experiment_variant_idx" ON "decisions" USING btree ("client_id","experiment_variant");--> statement-breakpoint
CREATE INDEX "decisions_client_id_is_randomized_experiment_idx" ON "decisions" USING btree ("client_id","is_randomized_experiment");--> statement-breakpoint
CREATE INDEX "decisions_client_id_mode_idx" ON "decisions" USING btree ("client_id","mode");--> statement-breakpoint
CREATE INDEX "decisions_client_id_composite_score_idx" ON "decisions" USING btree ("client_id","composite_score");--> statement-breakpoint
CREATE INDEX "escalations_client_id_post_id_idx" ON "escalations" USING btree ("client_id","post_id");--> statement-breakpoint
CREATE INDEX "escalations_client_id_decision_id_idx" ON "escalations" USING btree ("client_id","decision_id");--> statement-breakpoint
CREATE INDEX "escalations_client_id_reply_id_idx" ON "escalations" USING btree ("client_id","reply_id");--> statement-breakpoint
CREATE INDEX "escalations_assigned_to_idx" ON "escalations" USING btree ("assigned_to");--> statement-breakpoint
CREATE INDEX "escalations_resolved_by_idx" ON "escalations" USING btree ("resolved_by");--> statement-breakpoint
CREATE INDEX "escalations_client_id_status_priority_idx" ON "escalations" USING btree ("client_id","status","priority");--> statement-breakpoint
CREATE INDEX "escalations_client_id_created_at_idx" ON "escalations" USING btree ("client_id","created_at");--> statement-breakpoint
CREATE INDEX "posts_client_id_author_id_idx" ON "posts" USING btree ("client_id","author_id");--> statement-breakpoint
CREATE UNIQUE INDEX "posts_client_id_platform_platform_post_id_key" ON "posts" USING btree ("client_id","platform","platform_post_id");--> statement-breakpoint
CREATE INDEX "posts_client_id_processed_at_idx" ON "posts" USING btree ("client_id","processed_at");--> statement-breakpoint
CREATE INDEX "posts_client_id_platform_detected_at_idx" ON "posts" USING btree ("client_id","platform","detected_at");--> statement-breakpoint
CREATE INDEX "randomized_experiments_client_id_decision_id_idx" ON "randomized_experiments" USING btree ("client_id","decision_id");--> statement-breakpoint
CREATE INDEX "replies_client_id_decision_id_idx" ON "replies" USING btree ("client_id","decision_id");--> statement-breakpoint
CREATE INDEX "replies_approved_by_idx" ON "replies" USING btree ("approved_by");--> statement-breakpoint
CREATE INDEX "replies_client_id_posted_at_idx" ON "replies" USING btree ("client_id","posted_at");--> statement-breakpoint
CREATE INDEX "replies_client_id_approval_status_idx" ON "replies" USING btree ("client_id","approval_status");--> statement-breakpoint
CREATE INDEX "replies_client_id_platform_posted_at_idx" ON "replies" USING btree ("client_id","platform","posted_at");--> statement-breakpoint
CREATE INDEX "community_champions_client_id_author_id_idx" ON "community_champions" USING btree ("client_id","author_id");--> statement-breakpoint
CREATE UNIQUE INDEX "community_champions_client_id_author_id_key" ON "community_champions" USING btree ("client_id","author_id");--> statement-breakpoint
CREATE INDEX "competitive_mentions_client_id_post_id_idx" ON "competitive_mentions" USING btree ("client_id","post_id");--> statement-breakpoint
CREATE INDEX "competitive_mentions_client_id_competitor_id_idx" ON "competitive_mentions" USING btree ("client_id","competitor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "competitors_client_id_name_key" ON "competitors" USING btree ("client_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "experiments_client_id_name_key" ON "experiments" USING btree ("client_id","name");--> statement-breakpoint
CREATE INDEX "experiments_client_id_status_idx" ON "experiments" USING btree ("client_id","status");--> statement-breakpoint
CREATE INDEX "kpi_metrics_client_id_metric_type_date_idx" ON "kpi_metrics" USING btree ("client_id","metric_type","date");--> statement-breakpoint
CREATE INDEX "learning_events_client_id_date_idx" ON "learning_events" USING btree ("client_id","date");--> statement-breakpoint
CREATE UNIQUE INDEX "segmented_weights_client_id_segment_type_segment_key_key" ON "segmented_weights" USING btree ("client_id","segment_type","segment_key");--> statement-breakpoint
CREATE INDEX "weight_adjustment_logs_client_id_date_idx" ON "weight_adjustment_logs" USING btree ("client_id","date");--> statement-breakpoint
CREATE INDEX "audit_logs_client_id_entity_type_entity_id_idx" ON "audit_logs" USING btree ("client_id","entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "audit_logs_client_id_created_at_idx" ON "audit_logs" USING btree ("client_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_logs_client_id_actor_id_idx" ON "audit_logs" USING btree ("client_id","actor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_client_id_source_delivery_id_key" ON "webhook_deliveries" USING btree ("client_id","source","delivery_id");