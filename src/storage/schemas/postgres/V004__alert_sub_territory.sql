-- The sub-territory (department, PTSM area, list of communes) an alert is
-- routed to within its territory, when the parent's commune falls in one.
ALTER TABLE alerts ADD COLUMN sub_territory_code TEXT;
CREATE INDEX alerts_sub_territory ON alerts (territory_code, sub_territory_code, deadline_at);
