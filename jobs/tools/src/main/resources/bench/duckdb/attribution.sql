-- metrics.md attribution, models last_touch and linear: each conversion's credit goes to the
-- person's touches in the ${lookback_us} microseconds up to its booking (outcomes that reach no one
-- left out; order: time, then touch_id), or to 'none' when there is no such touch.
CREATE OR REPLACE TABLE dk_attribution AS
WITH conv AS (
  SELECT appointment_id, person_id, booked_at FROM appt_facts WHERE conversion),
ct AS (
  SELECT c.appointment_id, c.booked_at, t.touch_id, t.occurred_at, t.channel
  FROM conv c
  JOIN touches_c t
    ON t.person_id = c.person_id
    AND t.occurred_at <= c.booked_at
    AND epoch_us(t.occurred_at) >= epoch_us(c.booked_at) - ${lookback_us}
    AND t.outcome NOT IN ${failed_outcomes}),
rk AS (
  SELECT
    *,
    row_number() OVER (PARTITION BY appointment_id ORDER BY occurred_at, touch_id) AS i,
    count(*) OVER (PARTITION BY appointment_id) AS n
  FROM ct),
cr AS (
  SELECT ll_week(booked_at) AS booking_week, 'last_touch' AS model, channel, 1.0::DOUBLE AS credit
  FROM rk
  WHERE i = n
  UNION ALL
  SELECT ll_week(booked_at), 'linear', channel, 1.0::DOUBLE / n
  FROM rk
  UNION ALL
  SELECT ll_week(c.booked_at), m.model, 'none', 1.0::DOUBLE
  FROM conv c
  CROSS JOIN (VALUES ('last_touch'), ('linear')) m(model)
  WHERE c.appointment_id NOT IN (SELECT appointment_id FROM ct))
SELECT booking_week, model, channel, round(sum(credit), 4) AS bookings_credited
FROM cr
GROUP BY ALL
HAVING sum(credit) > 0
ORDER BY 1, 2, 3;
