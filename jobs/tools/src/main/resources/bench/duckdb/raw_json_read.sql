-- The entity's JSON Lines files (${files}): one object per line; lines that do not parse and
-- values that are not objects are left out.
CREATE OR REPLACE TEMP TABLE json_in AS
SELECT json AS j, filename
FROM read_ndjson_objects(${files}, ignore_errors = true, filename = true)
WHERE json IS NOT NULL AND json_type(json) = 'OBJECT';
