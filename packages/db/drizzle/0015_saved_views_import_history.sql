-- The admin for daily use (issue 15): saved views of filtered lists per user, and an import
-- history that names the file and what it changed (customers imports record a run too).
CREATE TABLE "saved_views" (
  "id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  "user_id" bigint NOT NULL,
  "list" text NOT NULL,
  "name" text NOT NULL,
  "query" text DEFAULT '' NOT NULL,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  "updated_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "saved_views_list_known" CHECK ("saved_views"."list" in ('customers', 'campaigns')),
  CONSTRAINT "saved_views_name_length" CHECK (length(trim("saved_views"."name")) between 1 and 80),
  CONSTRAINT "saved_views_query_length" CHECK (length("saved_views"."query") <= 2000)
);
--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "saved_views_user_list_name_unique" ON "saved_views" USING btree ("user_id","list","name");--> statement-breakpoint
ALTER TABLE "import_runs" ADD COLUMN "label" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "import_runs" ADD COLUMN "inserted" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "import_runs" ADD COLUMN "updated" integer DEFAULT 0 NOT NULL;
