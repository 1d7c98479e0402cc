-- A record's other parent (RecordService::Open reads the records that name
-- this one): most records have none. In the full index every NULL counted
-- as one value, so once ANALYZE had run SQLite judged a lookup as dear as a
-- scan and walked the whole table in id order: 72 % of a record page's time
-- with 20,000 records (bench/records.sh). Only linked records are indexed
-- now, in the order they are read.
DROP INDEX follow_up_records_other_parent;
CREATE INDEX follow_up_records_other_parent ON follow_up_records (other_parent_of, id)
  WHERE other_parent_of IS NOT NULL;
