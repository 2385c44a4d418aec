-- The entity's CSV files (${files}), every column as text; records with a wrong field count are
-- left out.
CREATE OR REPLACE TEMP TABLE csv_in AS
SELECT *
FROM read_csv(
  ${files},
  header = true,
  all_varchar = true,
  union_by_name = true,
  filename = true,
  ignore_errors = true,
  delim = ',',
  quote = '"',
  escape = '"',
  null_padding = false,
  max_line_size = 1048576);
