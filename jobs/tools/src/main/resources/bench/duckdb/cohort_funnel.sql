-- metrics.md cohort_funnel at the cutoff ${cut}: per cohort week, source and service line of the
-- leads at c. A cohort is matured when its week and the booking window (${window_us}) lie before c.
CREATE OR REPLACE TABLE dk_cohort_funnel AS
WITH lf AS (
  SELECT
    l.lead_id,
    ll_week(l.created_at) AS cohort_week,
    l.source,
    l.service_line,
    coalesce(lr.cycles, 0) > 0 AS is_recycled,
    coalesce(b.fc, false) AS fc,
    coalesce(lr.cycles, 0) > 0 AND coalesce(b.fr, false) AS fr
  FROM leads_c l
  LEFT JOIN lead_rec lr ON l.lead_id = lr.lead_id
  LEFT JOIN (
    SELECT linked, bool_or(first_cycle) AS fc, bool_or(from_recycled) AS fr
    FROM appt_facts
    WHERE linked IS NOT NULL
    GROUP BY linked) b ON b.linked = l.lead_id),
bl AS (
  SELECT
    cohort_week,
    source,
    service_line,
    count(*) AS leads,
    count(*) FILTER (is_recycled) AS recycled_leads,
    count(*) FILTER (fc) AS booked_first_cycle,
    count(*) FILTER (fr) AS booked_from_recycled
  FROM lf
  GROUP BY ALL),
ba AS (
  SELECT
    lf.cohort_week,
    lf.source,
    lf.service_line,
    count(*) FILTER (a.resolved AND NOT a.recycled_booking) AS resolved_new,
    count(*) FILTER (a.kept AND NOT a.recycled_booking) AS kept_new,
    count(*) FILTER (a.resolved AND a.recycled_booking) AS resolved_recycled,
    count(*) FILTER (a.kept AND a.recycled_booking) AS kept_recycled,
    count(*) FILTER (a.unresolved) AS appointments_unresolved
  FROM appt_facts a
  JOIN lf ON a.linked = lf.lead_id
  GROUP BY ALL)
SELECT
  bl.cohort_week,
  bl.source,
  bl.service_line,
  leads,
  recycled_leads,
  round(recycled_leads / leads, 4) AS recycle_rate,
  booked_first_cycle,
  round(booked_first_cycle / leads, 4) AS first_cycle_booking_rate,
  booked_from_recycled,
  CASE WHEN recycled_leads > 0
    THEN round(booked_from_recycled / recycled_leads, 4) END AS booked_from_recycled_rate,
  coalesce(resolved_new, 0) AS resolved_new,
  coalesce(kept_new, 0) AS kept_new,
  CASE WHEN resolved_new > 0 THEN round(kept_new / resolved_new, 4) END AS kept_rate_new,
  coalesce(resolved_recycled, 0) AS resolved_recycled,
  coalesce(kept_recycled, 0) AS kept_recycled,
  CASE WHEN resolved_recycled > 0
    THEN round(kept_recycled / resolved_recycled, 4) END AS kept_rate_recycled,
  coalesce(appointments_unresolved, 0) AS appointments_unresolved,
  epoch_us(CAST(bl.cohort_week AS TIMESTAMP)) + 7 * 86400000000 + ${window_us}
    <= epoch_us(${cut}) AS matured
FROM bl
LEFT JOIN ba
  ON bl.cohort_week = ba.cohort_week
  AND bl.source = ba.source
  AND bl.service_line = ba.service_line
ORDER BY 1, 2, 3;
