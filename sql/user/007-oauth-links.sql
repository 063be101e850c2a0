-- 007-oauth-links.sql -- accounts made or found through the separate auth server.
--
-- oauth_links ties an account to the auth server's subject ("sub", which never
-- changes), so the next OAuth sign-in finds the account even after the email at
-- the auth server changed.  oauth_signup_tokens remembers each used signup_token
-- (its jti), so one token makes at most one account.

CREATE TABLE oauth_links (
  subject     VARCHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  user_id     BIGINT UNSIGNED NOT NULL,
  created_at  DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_oauth_links_user (user_id),
  CONSTRAINT fk_oauth_links_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE oauth_signup_tokens (
  jti      CHAR(22) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  used_at  DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB;
