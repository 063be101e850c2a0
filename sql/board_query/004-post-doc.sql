-- 004-post-doc.sql -- each posts_view row also holds its post as the API's JSON text, so
-- a read only concatenates rows (GET /communities/{id}/posts at list speed, no JSON built
-- per request).  The projector (and the rebuild) set doc from the row's own columns with
-- one SQL expression, DOC_EXPR in kafka-consumers/board-projector/projector.h, after every
-- change of the row; MariaDB refuses JSON_OBJECT in a generated column, hence by hand.

ALTER TABLE posts_view ADD COLUMN doc MEDIUMTEXT NOT NULL DEFAULT '';
