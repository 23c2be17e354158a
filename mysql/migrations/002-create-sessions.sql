-- Server-side sessions: the browser's cookie holds only a random id; the data lives here,
-- so a session can be revoked by deleting its row (a cookie-only session cannot be taken back).
-- id is the SHA-256 of the cookie's id, so a copy of this table cannot be used to sign in.
CREATE TABLE sessions (
  id CHAR(64) NOT NULL PRIMARY KEY,
  user_id INT UNSIGNED NULL,
  data TEXT NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  expires_at DATETIME(3) NOT NULL,
  KEY sessions_expires_at (expires_at),
  KEY sessions_user_id (user_id),
  CONSTRAINT sessions_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
