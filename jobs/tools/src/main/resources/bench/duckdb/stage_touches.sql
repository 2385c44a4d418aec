-- stg_touches: the accepted touches (layers as in stage_leads.sql); a missing outcome is 'sent'.
CREATE OR REPLACE TABLE stg_touches AS
WITH t AS MATERIALIZED (
  SELECT
    ll_trim(touch_id) AS touch_id,
    ll_trim(person_id) AS person_id,
    ll_trim(channel) AS channel,
    ll_trim(direction) AS direction,
    ll_trim(outcome) AS outcome,
    ll_trim(sequence_step) AS sequence_step,
    ll_trim(occurred_at) AS occurred_at,
    file, rn, fhir, invalid
  FROM raw_touches),
p AS MATERIALIZED (
  SELECT *, ll_ts_parts(occurred_at) AS occurred_p
  FROM t),
v AS (
  SELECT *, ll_ts_of(occurred_p) AS occurred_ts
  FROM p)
SELECT
  touch_id,
  person_id,
  occurred_ts AS occurred_at,
  lower(channel) AS channel,
  coalesce(lower(outcome), 'sent') AS outcome,
  file,
  rn
FROM v
WHERE touch_id IS NOT NULL
  AND person_id IS NOT NULL
  AND occurred_at IS NOT NULL
  AND channel IS NOT NULL
  AND NOT invalid
  AND occurred_ts IS NOT NULL
  AND (sequence_step IS NULL OR regexp_full_match(sequence_step, '\d{1,9}'))
  AND lower(channel) IN ${touch_channels}
  AND (direction IS NULL OR lower(direction) IN ${directions})
  AND (outcome IS NULL OR lower(outcome) IN ${outcomes})
  AND occurred_ts <= ${latest};
