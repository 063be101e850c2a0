-- 003-photos.sql -- photos, and the files an upload is writing.
--
-- A photo's files live under [album] media_dir as <fk[0..1]>/<file_key>.<ext> (the picture,
-- re-encoded) and <fk[0..1]>/<file_key>_t.<ext> (the thumbnail); file_key is 128 random
-- bits, so a URL cannot be guessed from an id.  like_count is the like service's exact
-- count, set from v1.event.like-changed when its seq is newer than like_seq.
--
-- pending_files makes a crash harmless: an upload records its file_key here (committed)
-- before it writes a byte, and deletes the row in the transaction that inserts the photo.
-- A row older than a few minutes is an upload that died between the two; the next upload
-- removes its files and the row (fcgi-apps/album/store.c).  Deleted photos' files go by
-- v1.event.photo-deleted (somoim-album-events), so a crash after the row's delete cannot
-- leave them either.

CREATE TABLE photos (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  community_id BIGINT UNSIGNED NOT NULL,
  uploader_id  BIGINT UNSIGNED NOT NULL,
  caption      VARCHAR(500)    NOT NULL DEFAULT '',
  file_key     CHAR(32) CHARACTER SET ascii NOT NULL,
  format       ENUM('jpeg', 'png', 'webp') NOT NULL,
  width        INT UNSIGNED    NOT NULL,
  height       INT UNSIGNED    NOT NULL,
  bytes        INT UNSIGNED    NOT NULL,
  like_count   BIGINT UNSIGNED NOT NULL DEFAULT 0,
  like_seq     BIGINT UNSIGNED NOT NULL DEFAULT 0,
  created_at   DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_photos_file (file_key),
  KEY ix_photos_community (community_id, id),
  KEY ix_photos_uploader (uploader_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE pending_files (
  file_key   CHAR(32) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  format     ENUM('jpeg', 'png', 'webp') NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_pending_at (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;
