-- 001-accounts.sql -- the separate auth server's own accounts, login sessions,
-- authorization codes and the access tokens it issued.
--
-- Secrets are stored only as SHA-256 (hex): session cookies and codes.  An
-- account's `subject` is a random UUID, the `sub` of its tokens: it never
-- changes, so a client can keep its link to the account when the email does.

CREATE TABLE accounts (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  subject       CHAR(36) CHARACTER SET ascii NOT NULL,
  email         VARCHAR(254) NOT NULL,
  password_hash VARCHAR(128) NOT NULL,
  name          VARCHAR(50)  NOT NULL,
  created_at    DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_accounts_subject (subject),
  UNIQUE KEY uq_accounts_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A browser's login at the auth server (the cookie's hash).
CREATE TABLE sessions (
  token_hash  CHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  account_id  BIGINT UNSIGNED NOT NULL,
  expires_at  DATETIME NOT NULL,
  KEY ix_sessions_expires (expires_at),
  CONSTRAINT fk_sessions_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- Authorization codes: single use (used_at), bound to the client, the redirect URI
-- and the PKCE S256 challenge; 60 s.
CREATE TABLE codes (
  code_hash     CHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  account_id    BIGINT UNSIGNED NOT NULL,
  client_id     VARCHAR(64) CHARACTER SET ascii NOT NULL,
  redirect_uri  VARCHAR(500) NOT NULL,
  challenge     CHAR(43) CHARACTER SET ascii NOT NULL,
  expires_at    DATETIME(3) NOT NULL,
  used_at       DATETIME(3) NULL,
  KEY ix_codes_expires (expires_at),
  CONSTRAINT fk_codes_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- Access tokens issued by a code exchange (by jti): a code presented twice revokes them.
CREATE TABLE access_tokens (
  jti         CHAR(22) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  code_hash   CHAR(64) CHARACTER SET ascii NOT NULL,
  account_id  BIGINT UNSIGNED NOT NULL,
  expires_at  DATETIME NOT NULL,
  revoked_at  DATETIME(3) NULL,
  KEY ix_access_tokens_code (code_hash),
  KEY ix_access_tokens_expires (expires_at),
  CONSTRAINT fk_access_tokens_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE
) ENGINE=InnoDB;
