-- 001-accounts.sql -- accounts with their profiles, interests and login sessions.
--
-- Emails are stored lower-case; the unique key makes signup races safe.
-- Refresh tokens are stored only as SHA-256 (hex); a family is one login.

CREATE TABLE users (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email         VARCHAR(254) NOT NULL,
  password_hash VARCHAR(128) NOT NULL,
  name          VARCHAR(50)  NOT NULL,
  region        VARCHAR(50)  NULL,
  mbti          CHAR(4)      NULL,
  profile_image VARCHAR(500) NULL,
  created_at    DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at    DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_users_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE interests (
  code     VARCHAR(32) NOT NULL PRIMARY KEY,
  name     VARCHAR(50) NOT NULL,
  position INT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE user_interests (
  user_id  BIGINT UNSIGNED NOT NULL,
  code     VARCHAR(32) NOT NULL,
  position INT NOT NULL,
  PRIMARY KEY (user_id, code),
  KEY ix_user_interests_code (code),
  CONSTRAINT fk_user_interests_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_user_interests_code FOREIGN KEY (code) REFERENCES interests (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE refresh_tokens (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  token_hash  CHAR(64) CHARACTER SET ascii NOT NULL,
  family_id   CHAR(36) CHARACTER SET ascii NOT NULL,
  user_id     BIGINT UNSIGNED NOT NULL,
  created_at  DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  expires_at  DATETIME(3) NOT NULL,
  used_at     DATETIME(3) NULL,
  revoked_at  DATETIME(3) NULL,
  UNIQUE KEY uq_refresh_tokens_hash (token_hash),
  KEY ix_refresh_tokens_family (family_id),
  KEY ix_refresh_tokens_expiry (expires_at),
  CONSTRAINT fk_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
