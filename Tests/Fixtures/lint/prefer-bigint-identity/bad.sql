CREATE TABLE events (id serial PRIMARY KEY);
CREATE TABLE tags (id integer, PRIMARY KEY (id));
