CREATE TABLE measurements (id int PRIMARY KEY, label text, value numeric);

COPY measurements (id, label, value) FROM stdin;
1	first; with a semicolon	1.5
2	second -- not a comment	2.25
3	\N	3
\.

INSERT INTO measurements VALUES (4, 'after copy', 4);
CREATE RULE measurements_log AS ON INSERT TO measurements DO ALSO (
    INSERT INTO notes (body) VALUES ('measured ' || NEW.label);
    INSERT INTO notes (body) VALUES ('twice; really');
);
INSERT INTO measurements VALUES (5, 'ruled', 5);
