-- ${columns}: per contract field, its column of the files (quoted), or NULL when no file has it.
INSERT INTO raw_${entity}
SELECT ${columns}, filename, rowid, false, false
FROM csv_in;

DROP TABLE csv_in;
