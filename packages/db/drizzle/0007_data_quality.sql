-- Trustworthy measurement (issue 13): each import records the time range it covered, and admins
-- can set an "orders complete up to" watermark for incremental feeds.
CREATE TABLE "import_runs" (
  "id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  "kind" text NOT NULL,
  "covered_from" timestamp with time zone,
  "covered_to" timestamp with time zone,
  "rows" integer NOT NULL,
  "allow_future" boolean DEFAULT false NOT NULL,
  "imported_at" timestamp with time zone DEFAULT now() NOT NULL,
  "imported_by" bigint,
  CONSTRAINT "import_runs_kind_known" CHECK ("import_runs"."kind" in ('orders', 'customers')),
  CONSTRAINT "import_runs_range" CHECK ("import_runs"."covered_from" is null or "import_runs"."covered_to" is null or "import_runs"."covered_from" <= "import_runs"."covered_to"),
  CONSTRAINT "import_runs_rows_nonnegative" CHECK ("import_runs"."rows" >= 0)
);
--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_runs_kind_idx" ON "import_runs" USING btree ("kind","imported_at");--> statement-breakpoint
CREATE TABLE "data_watermarks" (
  "id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
  "orders_complete_until" timestamp with time zone,
  "note" text DEFAULT '' NOT NULL,
  "set_by" bigint,
  "set_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "data_watermarks_single_row" CHECK ("data_watermarks"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "data_watermarks" ADD CONSTRAINT "data_watermarks_set_by_users_id_fk" FOREIGN KEY ("set_by") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;
