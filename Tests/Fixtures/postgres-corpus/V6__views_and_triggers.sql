CREATE VIEW people_view AS SELECT id, upper(name) AS name FROM people;
CREATE MATERIALIZED VIEW note_counts AS SELECT person_id, count(*) AS notes FROM notes GROUP BY person_id;
CREATE FUNCTION touch_note() RETURNS trigger LANGUAGE plpgsql AS '
BEGIN
    NEW.body := NEW.body || '' (touched)'';
    RETURN NEW;
END';
CREATE TRIGGER notes_touch BEFORE INSERT ON notes FOR EACH ROW EXECUTE FUNCTION touch_note();
INSERT INTO notes (person_id, body) VALUES (3, 'after the trigger');
COMMENT ON TABLE people IS 'People; and their "moods"';
