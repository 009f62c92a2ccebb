-- A roster's two foreign keys (campaign_assignments → campaigns, → customers) become guards on the
-- referenced side. A foreign key is checked once per inserted row, so a launch of 100,000
-- customers paid 100,000 key lookups with row locks (about half of its time); the guards below
-- cost nothing when a roster is written and one indexed probe when a campaign or customer is
-- deleted, which the product never does (rosters are immutable, migration 0003). What the keys
-- refused is still refused:
-- * deleting, re-numbering or truncating a campaign that has a roster;
-- * deleting, re-numbering or truncating a customer who is in a roster.
-- A launch inserts only customers it has just read, holding advisory lock 7324100118 shared until
-- it commits (ROSTER_WRITERS_LOCK in the launch service); deleting customers takes the same lock
-- exclusively before its check, so the check sees every roster written meanwhile.
-- The check reads with a fresh snapshot, which READ COMMITTED gives and REPEATABLE READ does not:
-- customers are deleted under READ COMMITTED or not at all.
ALTER TABLE "campaign_assignments" DROP CONSTRAINT "campaign_assignments_campaign_id_campaigns_id_fk";--> statement-breakpoint
ALTER TABLE "campaign_assignments" DROP CONSTRAINT "campaign_assignments_customer_id_customers_id_fk";--> statement-breakpoint
CREATE FUNCTION campaigns_keep_rostered() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM campaign_assignments WHERE campaign_id = OLD.id) THEN
    RAISE EXCEPTION 'campaign % has a roster and cannot be % (a launched campaign is kept with its results; cancel or complete it instead)', OLD.id, CASE TG_OP WHEN 'DELETE' THEN 'deleted' ELSE 're-numbered' END
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER campaigns_keep_rostered BEFORE DELETE ON campaigns
  FOR EACH ROW EXECUTE FUNCTION campaigns_keep_rostered();
--> statement-breakpoint
CREATE TRIGGER campaigns_keep_rostered_id BEFORE UPDATE OF id ON campaigns
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION campaigns_keep_rostered();
--> statement-breakpoint
CREATE FUNCTION customers_keep_rostered() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  found_customer bigint;
  found_campaign bigint;
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'customers can only be deleted under READ COMMITTED (this transaction is %): the check for rosters must see rosters written meanwhile', current_setting('transaction_isolation')
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  -- ROSTER_WRITERS_LOCK: waits for launches in progress (they hold it shared).
  PERFORM pg_advisory_xact_lock(7324100118);
  SELECT a.customer_id, a.campaign_id INTO found_customer, found_campaign
    FROM campaign_assignments a JOIN gone g ON g.id = a.customer_id LIMIT 1;
  IF found_customer IS NOT NULL THEN
    RAISE EXCEPTION 'customer % is in the roster of campaign % and cannot be deleted (rosters are immutable)', found_customer, found_campaign
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER customers_keep_rostered AFTER DELETE ON customers
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION customers_keep_rostered();
--> statement-breakpoint
CREATE FUNCTION customers_keep_rostered_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM campaign_assignments WHERE customer_id = OLD.id) THEN
    RAISE EXCEPTION 'customer % is in a campaign roster and cannot be re-numbered (rosters are immutable)', OLD.id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER customers_keep_rostered_id BEFORE UPDATE OF id ON customers
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION customers_keep_rostered_id();
--> statement-breakpoint
CREATE FUNCTION rosters_keep_referents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM campaign_assignments) THEN
    RAISE EXCEPTION 'TRUNCATE % would leave campaign rosters without their %: truncate campaign_assignments in the same statement', TG_TABLE_NAME, TG_TABLE_NAME
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER campaigns_keep_rostered_truncate AFTER TRUNCATE ON campaigns
  FOR EACH STATEMENT EXECUTE FUNCTION rosters_keep_referents();
--> statement-breakpoint
CREATE TRIGGER customers_keep_rostered_truncate AFTER TRUNCATE ON customers
  FOR EACH STATEMENT EXECUTE FUNCTION rosters_keep_referents();
