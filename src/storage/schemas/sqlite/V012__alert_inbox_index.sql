-- The alert inbox (AlertRepository::Search) reads one range of this index
-- per territory, status and deadline interval, already in the inbox order
-- (storage/alert_search.h): no sort of every alert of a territory.
CREATE INDEX alerts_inbox ON alerts (territory_code, status, deadline_at, created_at, id);
