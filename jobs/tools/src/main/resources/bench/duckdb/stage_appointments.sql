-- stg_appointments: the accepted appointment rows (layers as in stage_leads.sql). In a FHIR row a
-- date alone (YYYY-MM-DD) is its midnight. scheduled_start may be missing only for the statuses
-- that need none (${start_optional}).
CREATE OR REPLACE TABLE stg_appointments AS
WITH t AS MATERIALIZED (
  SELECT
    ll_trim(appointment_id) AS appointment_id,
    ll_trim(person_id) AS person_id,
    ll_trim(lead_id) AS lead_id,
    ll_trim(status) AS status,
    ll_trim(service_line) AS service_line,
    ll_trim(booked_at) AS booked_at,
    ll_trim(scheduled_start) AS scheduled_start,
    ll_trim(updated_at) AS updated_at,
    file, rn, fhir, invalid
  FROM raw_appointments),
p AS MATERIALIZED (
  SELECT *,
    CASE WHEN fhir AND regexp_full_match(coalesce(booked_at, ''), '\d{4}-\d{2}-\d{2}')
      THEN {'d': booked_at, 'hm': '00:00', 's': '', 'f': '', 'z': ''}
      ELSE ll_ts_parts(booked_at) END AS booked_p,
    CASE WHEN fhir AND regexp_full_match(coalesce(scheduled_start, ''), '\d{4}-\d{2}-\d{2}')
      THEN {'d': scheduled_start, 'hm': '00:00', 's': '', 'f': '', 'z': ''}
      ELSE ll_ts_parts(scheduled_start) END AS scheduled_start_p,
    CASE WHEN fhir AND regexp_full_match(coalesce(updated_at, ''), '\d{4}-\d{2}-\d{2}')
      THEN {'d': updated_at, 'hm': '00:00', 's': '', 'f': '', 'z': ''}
      ELSE ll_ts_parts(updated_at) END AS updated_p
  FROM t),
v AS (
  SELECT *,
    ll_ts_of(booked_p) AS booked_ts,
    ll_ts_of(scheduled_start_p) AS scheduled_start_ts,
    ll_ts_of(updated_p) AS updated_ts
  FROM p)
SELECT
  appointment_id,
  person_id,
  lead_id,
  booked_ts AS booked_at,
  scheduled_start_ts AS scheduled_start,
  lower(status) AS status,
  coalesce(updated_ts, booked_ts) AS updated_at,
  ll_code(service_line) AS service_line,
  file,
  rn
FROM v
WHERE appointment_id IS NOT NULL
  AND person_id IS NOT NULL
  AND booked_at IS NOT NULL
  AND status IS NOT NULL
  AND service_line IS NOT NULL
  AND NOT invalid
  AND booked_ts IS NOT NULL
  AND (scheduled_start IS NULL OR scheduled_start_ts IS NOT NULL)
  AND (updated_at IS NULL OR updated_ts IS NOT NULL)
  AND lower(status) IN ${appointment_statuses}
  AND (scheduled_start_ts IS NOT NULL OR lower(status) IN ${start_optional})
  AND booked_ts <= ${latest};
