-- A record's other parent (RecordService::Open reads the records that name
-- this one): most records have none. Only linked records are indexed, in
-- the order they are read (id in byte order, as the query sorts it), as on
-- SQLite, whose planner scanned the whole table with the full index.
DROP INDEX follow_up_records_other_parent;
CREATE INDEX follow_up_records_other_parent ON follow_up_records (other_parent_of, id COLLATE "C")
  WHERE other_parent_of IS NOT NULL;
