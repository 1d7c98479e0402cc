-- Links that most rows leave empty: a record's other parent, a referral's
-- record (a referral made from a consultation has none) and its team (a
-- referral to a listed resource has none). In a full index every NULL
-- counted as one value, so once ANALYZE had run SQLite judged a lookup as
-- dear as a scan and walked the whole table in id order: 72 % of a record
-- page's time with 20,000 records (bench/records.sh). Only the rows that
-- have the link are indexed now, in the order the lookups read them.
DROP INDEX follow_up_records_other_parent;
CREATE INDEX follow_up_records_other_parent ON follow_up_records (other_parent_of, id)
  WHERE other_parent_of IS NOT NULL;
DROP INDEX referrals_record;
CREATE INDEX referrals_record ON referrals (record_id, id) WHERE record_id IS NOT NULL;
DROP INDEX referrals_team;
CREATE INDEX referrals_team ON referrals (team_user_id, id) WHERE team_user_id IS NOT NULL;
