-- The customers' roster guard (migration 0022) runs once per DELETE statement on customers and
-- refuses to run outside READ COMMITTED. A statement that deletes no customer has nothing to
-- check, so it no longer takes the roster writers' lock nor needs READ COMMITTED: a cleanup under
-- REPEATABLE READ whose DELETE matches no row (say, of customers imported by mistake and already
-- gone) is no longer refused.
CREATE OR REPLACE FUNCTION customers_keep_rostered() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  found_customer bigint;
  found_campaign bigint;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM gone) THEN
    RETURN NULL;
  END IF;
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
