-- ${values}: per contract field, j->>'$.<field>'; ${invalid}: true when any contract field holds an
-- object or an array.
INSERT INTO raw_${entity}
SELECT ${values}, filename, rowid, false, ${invalid}
FROM json_in;

DROP TABLE json_in;
