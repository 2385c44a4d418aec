-- raw_<entity>: every contract field as text (${column_definitions}: the fields, each VARCHAR), the
-- file, rn (the order within the file), fhir (a FHIR Appointment line) and invalid (a JSON object
-- or array value in a contract field).
CREATE OR REPLACE TABLE raw_${entity} (
  ${column_definitions},
  file VARCHAR,
  rn BIGINT,
  fhir BOOLEAN,
  invalid BOOLEAN);
