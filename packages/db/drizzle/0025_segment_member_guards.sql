-- Segment memberships' two foreign keys (segment_members → segments, → snapshots) become guards
-- on the referenced side, as the rosters' did (migration 0022). A segment created, edited or
-- restored after its snapshot writes its members into the snapshot's attached partition, and
-- each inserted row checked both keys: on 1.24M customers a rule segment of 650k members took
-- 44 s to write (the two checks 23 s of it, each taking a share lock on the same one row), over
-- the API's 30 s statement timeout on a busy server; 20 s without them. What the keys did is
-- still done:
-- * deleting a segment or a snapshot deletes its memberships (the keys cascaded);
-- * re-numbering a segment or snapshot that has memberships is refused;
-- * TRUNCATE … CASCADE of segments or snapshots empties the memberships too (a plain TRUNCATE of
--   either is refused as before by segment_stats' keys).
-- A writer of memberships (refreshSegmentMembers) locks the segments and the snapshot it writes
-- for FOR KEY SHARE, as the key checks did: a DELETE waits for it to commit and then removes what
-- it wrote, and a writer that comes after a DELETE finds no row to write for. The DELETE's cascade
-- reads with a fresh snapshot, which READ COMMITTED gives and REPEATABLE READ does not: segments
-- and snapshots are deleted under READ COMMITTED or not at all. segment_stats keeps its keys (one
-- row per segment and snapshot).
ALTER TABLE "segment_members" DROP CONSTRAINT "segment_members_segment_id_segments_id_fk";--> statement-breakpoint
ALTER TABLE "segment_members" DROP CONSTRAINT "segment_members_snapshot_id_snapshots_id_fk";--> statement-breakpoint
CREATE FUNCTION segment_members_follow_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  gone_id bigint;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM gone) THEN
    RETURN NULL;
  END IF;
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION '% can only be deleted under READ COMMITTED (this transaction is %): their segment memberships are deleted with them, including those written meanwhile', TG_TABLE_NAME, current_setting('transaction_isolation')
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  -- One statement per id, so each is planned with its value: a segment's rows are found through
  -- every partition's primary key, a snapshot's in its own partition.
  FOR gone_id IN SELECT id FROM gone LOOP
    IF TG_TABLE_NAME = 'segments' THEN
      DELETE FROM segment_members WHERE segment_id = gone_id;
    ELSE
      DELETE FROM segment_members WHERE snapshot_id = gone_id;
    END IF;
  END LOOP;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER segments_delete_members AFTER DELETE ON segments
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION segment_members_follow_delete();
--> statement-breakpoint
CREATE TRIGGER snapshots_delete_members AFTER DELETE ON snapshots
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION segment_members_follow_delete();
--> statement-breakpoint
CREATE FUNCTION segment_members_keep_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (TG_TABLE_NAME = 'segments' AND EXISTS (SELECT 1 FROM segment_members WHERE segment_id = OLD.id))
     OR (TG_TABLE_NAME = 'snapshots' AND EXISTS (SELECT 1 FROM segment_members WHERE snapshot_id = OLD.id)) THEN
    RAISE EXCEPTION '% % has segment memberships and cannot be re-numbered', TG_TABLE_NAME, OLD.id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER segments_keep_member_id BEFORE UPDATE OF id ON segments
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION segment_members_keep_id();
--> statement-breakpoint
CREATE TRIGGER snapshots_keep_member_id BEFORE UPDATE OF id ON snapshots
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION segment_members_keep_id();
--> statement-breakpoint
CREATE FUNCTION segment_members_follow_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A TRUNCATE that lists segment_members itself (the demo seed's reset) has emptied it already,
  -- and truncating it again inside that statement is refused ("being used by active queries").
  IF EXISTS (SELECT 1 FROM segment_members) THEN
    TRUNCATE segment_members;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER segments_truncate_members AFTER TRUNCATE ON segments
  FOR EACH STATEMENT EXECUTE FUNCTION segment_members_follow_truncate();
--> statement-breakpoint
CREATE TRIGGER snapshots_truncate_members AFTER TRUNCATE ON snapshots
  FOR EACH STATEMENT EXECUTE FUNCTION segment_members_follow_truncate();
