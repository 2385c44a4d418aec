-- Appointments in JSON Lines: contract lines (no resourceType) as in raw_json_insert.sql, and FHIR
-- R4 Appointment resources mapped as data-contract.md says; another resourceType is malformed.
INSERT INTO raw_appointments
SELECT ${values}, filename, rowid, false, ${invalid}
FROM json_in
WHERE NOT json_exists(j, '$.resourceType');

INSERT INTO raw_appointments (
  appointment_id, person_id, lead_id, booked_at, scheduled_start, status, updated_at,
  service_line, file, rn, fhir, invalid)
SELECT
  j->>'$.id',
  -- the first participant whose actor is a Patient (relative or absolute reference)
  nullif(
    regexp_extract(
      list_filter(
        json_extract_string(j, '$.participant[*].actor.reference'),
        r -> regexp_matches(trim(r), '(^|/)Patient/[^/]+$'))[1],
      'Patient/([^/]+)$',
      1),
    ''),
  NULL,
  coalesce(j->>'$.created', j->>'$.meta.lastUpdated'),
  j->>'$.start',
  j->>'$.status',
  j->>'$.meta.lastUpdated',
  j->>'$.serviceType[0].coding[0].code',
  filename,
  rowid,
  true,
  false
FROM json_in
WHERE j->>'$.resourceType' = 'Appointment';

DROP TABLE json_in;
