-- Links that most rows leave empty: a record's other parent, a referral's
-- record (a referral made from a consultation has none) and its team (a
-- referral to a listed resource has none). As on SQLite, whose planner
-- scanned whole tables with the full indexes, only the rows that have the
-- link are indexed, in the order the lookups read them (id in byte order,
-- as the queries sort it).
DROP INDEX follow_up_records_other_parent;
CREATE INDEX follow_up_records_other_parent ON follow_up_records (other_parent_of, id COLLATE "C")
  WHERE other_parent_of IS NOT NULL;
DROP INDEX referrals_record;
CREATE INDEX referrals_record ON referrals (record_id, id COLLATE "C") WHERE record_id IS NOT NULL;
DROP INDEX referrals_team;
CREATE INDEX referrals_team ON referrals (team_user_id, id COLLATE "C") WHERE team_user_id IS NOT NULL;
