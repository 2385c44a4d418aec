-- metrics.md: the state at the cutoff ${cut} (every time before it), and the facts of each
-- appointment the figures count. ${horizon_us}, ${window_us}: the link horizon and the booking
-- window in microseconds. Ties between versions go to the later file, then the later row.

-- The latest version of each lead updated before c, when the lead was created before c.
CREATE OR REPLACE TABLE leads_c AS
SELECT * FROM (
  SELECT * FROM stg_leads
  WHERE updated_at < ${cut}
  QUALIFY row_number() OVER (PARTITION BY lead_id ORDER BY updated_at DESC, file DESC, rn DESC) = 1)
WHERE created_at < ${cut};

CREATE OR REPLACE TABLE events_c AS
SELECT * FROM (
  SELECT * FROM stg_lead_events
  QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY file DESC, rn DESC) = 1)
WHERE occurred_at < ${cut};

CREATE OR REPLACE TABLE touches_c AS
SELECT * FROM (
  SELECT * FROM stg_touches
  QUALIFY row_number() OVER (PARTITION BY touch_id ORDER BY file DESC, rn DESC) = 1)
WHERE occurred_at < ${cut};

CREATE OR REPLACE TABLE appts_c AS
SELECT * FROM (
  SELECT * FROM stg_appointments
  WHERE updated_at < ${cut}
  QUALIFY row_number() OVER (
    PARTITION BY appointment_id ORDER BY updated_at DESC, file DESC, rn DESC) = 1)
WHERE booked_at < ${cut};

-- Recycle events of leads that exist at c; per lead the first one (t_r) and how many.
CREATE OR REPLACE TABLE recycles AS
SELECT e.lead_id, e.occurred_at
FROM events_c e JOIN leads_c l ON e.lead_id = l.lead_id
WHERE e.stage = 'recycled';

CREATE OR REPLACE TABLE lead_rec AS
SELECT lead_id, min(occurred_at) AS t_r, count(*) AS cycles
FROM recycles
GROUP BY lead_id;

-- Appointment -> lead link: the named lead when it exists at c, else the person's latest lead
-- created at or before booked_at (ties: greatest lead_id) within the horizon.
CREATE OR REPLACE TABLE appt_link AS
WITH fb AS (
  SELECT a.appointment_id, l.lead_id, l.created_at, a.booked_at
  FROM appts_c a
  JOIN leads_c l ON a.person_id = l.person_id AND l.created_at <= a.booked_at
  QUALIFY row_number() OVER (
    PARTITION BY a.appointment_id ORDER BY l.created_at DESC, l.lead_id DESC) = 1)
SELECT
  a.*,
  CASE
    WHEN d.lead_id IS NOT NULL THEN d.lead_id
    WHEN epoch_us(fb.booked_at) - epoch_us(fb.created_at) <= ${horizon_us} THEN fb.lead_id
  END AS linked
FROM appts_c a
LEFT JOIN leads_c d ON a.lead_id = d.lead_id
LEFT JOIN fb ON fb.appointment_id = a.appointment_id;

-- Per appointment: qualifying (q), started before c, resolved / kept / unresolved, booked in a
-- recycled cycle, booked in the first cycle within the window, booked within the window after the
-- latest recycle before it (brt), and counted as a conversion.
CREATE OR REPLACE TABLE appt_facts AS
WITH brt AS (
  SELECT a.appointment_id, max(r.occurred_at) AS brt
  FROM appt_link a
  JOIN recycles r ON r.lead_id = a.linked AND r.occurred_at <= a.booked_at
  GROUP BY a.appointment_id),
f AS (
  SELECT
    a.*,
    l.created_at AS lc,
    lr.t_r,
    brt.brt,
    a.status IN ${qualifying} AS q,
    coalesce(a.scheduled_start < ${cut}, false) AS started
  FROM appt_link a
  LEFT JOIN leads_c l ON a.linked = l.lead_id
  LEFT JOIN lead_rec lr ON a.linked = lr.lead_id
  LEFT JOIN brt ON brt.appointment_id = a.appointment_id)
SELECT
  *,
  q AND started AND (status IN ${kept} OR status IN ${not_kept}) AS resolved,
  q AND started AND status IN ${kept} AS kept,
  status = 'booked' AND started AS unresolved,
  linked IS NOT NULL AND t_r IS NOT NULL AND booked_at >= t_r AS recycled_booking,
  linked IS NOT NULL AND q
    AND epoch_us(lc) <= epoch_us(booked_at)
    AND epoch_us(booked_at) <= epoch_us(lc) + ${window_us}
    AND (t_r IS NULL OR booked_at < t_r) AS first_cycle,
  linked IS NOT NULL AND q AND t_r IS NOT NULL AND booked_at >= t_r
    AND epoch_us(booked_at) <= epoch_us(brt) + ${window_us} AS from_recycled,
  linked IS NOT NULL AND q AND status <> 'cancelled' AS conversion
FROM f;
