INSERT INTO people (name, "select", "dol$lar") VALUES ('O''Brien; the first', 'it''s -- not a comment', '$$ not a quote');
INSERT INTO people (name, "select") VALUES (E'tab\there\nnewline \' quote; semi', e'lower \\ e');
INSERT INTO people (name) VALUES (U&'d\0061t\+000061 unicode');
INSERT INTO notes (person_id, body) VALUES (1, 'line one;
line two /* not a comment */');
