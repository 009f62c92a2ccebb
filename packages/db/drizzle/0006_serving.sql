-- Serving at production speed (issue 12): indexes for the lists the API offers, counts a probe
-- can read without scanning, and notifications that let a server drop its in-process caches
-- (API keys, sessions, the latest snapshot) the moment another process changes them.
--
-- 1. Customer search (`customers(filter: { search })`, ILIKE '%text%' on name, e-mail and
--    external id) is served by trigram GIN indexes when pg_trgm is available (PostgreSQL's
--    contrib package; PGlite loads it as an extension). Trigrams work for Japanese, which
--    full-text search has no parser for. pg_trgm lives in schema public so that any schema of
--    the database (tests use one schema each) shares one installation.
DO $$
DECLARE
	trgm_schema text;
BEGIN
	IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
		CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
		SELECT n.nspname INTO trgm_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
		EXECUTE format('CREATE INDEX customers_name_trgm_idx ON customers USING gin (name %I.gin_trgm_ops)', trgm_schema);
		EXECUTE format('CREATE INDEX customers_email_trgm_idx ON customers USING gin (email %I.gin_trgm_ops)', trgm_schema);
		EXECUTE format('CREATE INDEX customers_external_id_trgm_idx ON customers USING gin (external_id %I.gin_trgm_ops)', trgm_schema);
	END IF;
END
$$;--> statement-breakpoint
-- 2. Lists by name read the top of customers_name_idx (by external id: its unique index). Lists
--    by predicted CLV, highest first (the default of the customer list and of segment
--    members), read the top of this index instead of sorting the snapshot. The expression is the
--    sort key the API orders by (customers without a prediction last). Within a snapshot's
--    partition snapshot_id is constant; it leads so the parent's index matches the queries.
CREATE INDEX "customers_name_idx" ON "customers" USING btree ("name", "id");--> statement-breakpoint
CREATE INDEX "customer_scores_clv_idx" ON "customer_scores" USING btree ("snapshot_id", (coalesce("predicted_clv", -1e15)), "customer_id");--> statement-breakpoint
-- 3. Row counts a health probe reads without counting: statement-level triggers append each
--    statement's net change; readers sum the (few) rows; rollup refreshes compact them.
CREATE TABLE "row_count_deltas" (
	"table_name" text NOT NULL,
	"delta" bigint NOT NULL
);--> statement-breakpoint
CREATE INDEX "row_count_deltas_table_idx" ON "row_count_deltas" USING btree ("table_name");--> statement-breakpoint
INSERT INTO "row_count_deltas" ("table_name", "delta")
SELECT 'customers', count(*) FROM "customers" UNION ALL SELECT 'orders', count(*) FROM "orders";--> statement-breakpoint
CREATE FUNCTION "row_count_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO row_count_deltas (table_name, delta) SELECT TG_TABLE_NAME, count(*) FROM inserted_rows HAVING count(*) > 0;
	RETURN NULL;
END
$$;--> statement-breakpoint
CREATE FUNCTION "row_count_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO row_count_deltas (table_name, delta) SELECT TG_TABLE_NAME, -count(*) FROM deleted_rows HAVING count(*) > 0;
	RETURN NULL;
END
$$;--> statement-breakpoint
CREATE FUNCTION "row_count_truncated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM row_count_deltas WHERE table_name = TG_TABLE_NAME;
	RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "customers_count_insert" AFTER INSERT ON "customers" REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_inserted();--> statement-breakpoint
CREATE TRIGGER "customers_count_delete" AFTER DELETE ON "customers" REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_deleted();--> statement-breakpoint
CREATE TRIGGER "customers_count_truncate" AFTER TRUNCATE ON "customers" FOR EACH STATEMENT EXECUTE FUNCTION row_count_truncated();--> statement-breakpoint
CREATE TRIGGER "orders_count_insert" AFTER INSERT ON "orders" REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_inserted();--> statement-breakpoint
CREATE TRIGGER "orders_count_delete" AFTER DELETE ON "orders" REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_deleted();--> statement-breakpoint
CREATE TRIGGER "orders_count_truncate" AFTER TRUNCATE ON "orders" FOR EACH STATEMENT EXECUTE FUNCTION row_count_truncated();--> statement-breakpoint
-- 4. Cache invalidation across processes: a change to who may sign in (users, API keys,
--    sessions) or to which snapshot is the latest notifies channel `ltvloop_cache` with the
--    table's name; every server listening drops what it cached from that table. Only the
--    columns caches depend on fire it (not last_used_at, last_seen_at or snapshot progress).
CREATE FUNCTION "notify_cache"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('ltvloop_cache', TG_TABLE_NAME);
	RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "users_notify_cache" AFTER UPDATE OF email, role, is_active OR DELETE OR TRUNCATE ON "users" FOR EACH STATEMENT EXECUTE FUNCTION notify_cache();--> statement-breakpoint
CREATE TRIGGER "api_keys_notify_cache" AFTER UPDATE OF key_hash, user_id, revoked_at OR DELETE OR TRUNCATE ON "api_keys" FOR EACH STATEMENT EXECUTE FUNCTION notify_cache();--> statement-breakpoint
CREATE TRIGGER "sessions_notify_cache" AFTER UPDATE OF token_hash, user_id, expires_at OR DELETE OR TRUNCATE ON "sessions" FOR EACH STATEMENT EXECUTE FUNCTION notify_cache();--> statement-breakpoint
CREATE TRIGGER "snapshots_notify_cache" AFTER UPDATE OF status, as_of OR DELETE OR TRUNCATE ON "snapshots" FOR EACH STATEMENT EXECUTE FUNCTION notify_cache();
