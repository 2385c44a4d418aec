-- stg_lead_events: the accepted stage changes (layers as in stage_leads.sql); an event of a lead
-- no accepted lead row names is rejected.
CREATE OR REPLACE TABLE stg_lead_events AS
WITH t AS MATERIALIZED (
  SELECT
    ll_trim(event_id) AS event_id,
    ll_trim(lead_id) AS lead_id,
    ll_trim(stage) AS stage,
    ll_trim(occurred_at) AS occurred_at,
    file, rn, fhir, invalid
  FROM raw_lead_events),
p AS MATERIALIZED (
  SELECT *, ll_ts_parts(occurred_at) AS occurred_p
  FROM t),
v AS (
  SELECT *, ll_ts_of(occurred_p) AS occurred_ts
  FROM p)
SELECT
  event_id,
  lead_id,
  occurred_ts AS occurred_at,
  lower(stage) AS stage,
  file,
  rn
FROM v
WHERE event_id IS NOT NULL
  AND lead_id IS NOT NULL
  AND occurred_at IS NOT NULL
  AND stage IS NOT NULL
  AND NOT invalid
  AND occurred_ts IS NOT NULL
  AND lower(stage) IN ${stages}
  AND lead_id IN (SELECT lead_id FROM stg_leads)
  AND occurred_ts <= ${latest};
