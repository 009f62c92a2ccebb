-- A launched campaign's roster is frozen (DESIGN §5): the service never changes it, and this
-- trigger makes any later UPDATE or DELETE fail, so neither a bug nor a hand-written statement
-- can move a customer between treatment and control after the fact. TRUNCATE (the demo
-- seed's --reset) is not affected.
CREATE FUNCTION campaign_assignments_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'campaign_assignments are immutable: a launched roster cannot be changed (campaign %)', OLD.campaign_id
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER campaign_assignments_immutable BEFORE UPDATE OR DELETE ON campaign_assignments
  FOR EACH ROW EXECUTE FUNCTION campaign_assignments_immutable();
