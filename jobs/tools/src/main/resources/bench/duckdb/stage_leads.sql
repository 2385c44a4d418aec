-- stg_leads: the accepted lead rows, typed and normalized (every version). Three layers, the first
-- two materialized so that each value is trimmed once and each timestamp matched by one regular
-- expression (a macro argument used twice is evaluated twice): t trims, p splits the timestamps
-- into their parts, v types them. In the WHERE clause a field name is the trimmed text, <f>_ts the
-- parsed time (missing when the text does not parse).
-- ${latest}: the latest accepted event time (a day after ingestion); the vocabularies are lists.
CREATE OR REPLACE TABLE stg_leads AS
WITH t AS MATERIALIZED (
  SELECT
    ll_trim(lead_id) AS lead_id,
    ll_trim(person_id) AS person_id,
    ll_trim(source) AS source,
    ll_trim(inquiry_channel) AS inquiry_channel,
    ll_trim(service_line) AS service_line,
    ll_trim(audience) AS audience,
    ll_trim(intent) AS intent,
    ll_trim(score) AS score,
    ll_trim(created_at) AS created_at,
    ll_trim(updated_at) AS updated_at,
    file, rn, fhir, invalid
  FROM raw_leads),
p AS MATERIALIZED (
  SELECT *, ll_ts_parts(created_at) AS created_p, ll_ts_parts(updated_at) AS updated_p
  FROM t),
v AS (
  SELECT *, ll_ts_of(created_p) AS created_ts, ll_ts_of(updated_p) AS updated_ts
  FROM p)
SELECT
  lead_id,
  person_id,
  created_ts AS created_at,
  coalesce(updated_ts, created_ts) AS updated_at,
  ll_code(source) AS source,
  lower(inquiry_channel) AS inquiry_channel,
  ll_code(service_line) AS service_line,
  file,
  rn
FROM v
WHERE lead_id IS NOT NULL
  AND person_id IS NOT NULL
  AND created_at IS NOT NULL
  AND source IS NOT NULL
  AND inquiry_channel IS NOT NULL
  AND service_line IS NOT NULL
  AND NOT invalid
  AND created_ts IS NOT NULL
  AND (updated_at IS NULL OR updated_ts IS NOT NULL)
  AND lower(inquiry_channel) IN ${inquiry_channels}
  AND (audience IS NULL OR lower(audience) IN ${audiences})
  AND (intent IS NULL OR lower(intent) IN ${intents})
  AND (score IS NULL OR lower(score) IN ${scores})
  AND created_ts <= ${latest};
