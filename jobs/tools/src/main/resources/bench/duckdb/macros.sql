-- The contract's value rules, shared by the staging files.

-- Trimmed; empty -> missing.
CREATE OR REPLACE MACRO ll_trim(s) AS nullif(regexp_replace(s, '^\s+|\s+$', '', 'g'), '');

-- Codes: lower case, runs of white space / hyphens -> '_'.
CREATE OR REPLACE MACRO ll_code(s) AS regexp_replace(lower(ll_trim(s)), '[\s\-]+', '_', 'g');

-- Contract timestamps: YYYY-MM-DD[T ]HH:MM[:SS[.f{1,9}]] then Z, +-HH:MM or nothing (UTC).
-- The parts (all '' when t does not match): date, hours and minutes, seconds, fraction, zone.
CREATE OR REPLACE MACRO ll_ts_parts(t) AS regexp_extract(
  t,
  '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$',
  ['d', 'hm', 's', 'f', 'z']);

-- The UTC instant of the parts (microseconds: the fraction's first six digits); missing when the
-- text did not match or the date does not exist.
CREATE OR REPLACE MACRO ll_ts_of(p) AS
  CASE WHEN p.d = '' THEN NULL
  ELSE try_cast(p.d || ' ' || p.hm || ':' || coalesce(nullif(p.s, ''), '00') AS TIMESTAMP)
    + to_microseconds(CAST(rpad(coalesce(nullif(substr(p.f, 2), ''), '0'), 9, '0')[1:6] AS BIGINT))
    - to_minutes(
        CASE WHEN p.z IN ('', 'Z') THEN 0
        ELSE (CASE WHEN p.z[1] = '-' THEN -1 ELSE 1 END)
          * (CAST(p.z[2:3] AS INT) * 60 + CAST(p.z[5:6] AS INT))
        END)
  END;

-- The Monday of t's ISO week.
CREATE OR REPLACE MACRO ll_week(t) AS CAST(date_trunc('week', t) AS DATE);
