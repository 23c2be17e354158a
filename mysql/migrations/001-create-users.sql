-- Registered accounts. The password column holds a bcrypt hash, never the password itself.
-- utf8mb4_unicode_520_ci compares case- and accent-insensitively, so "Ada", "ada" and "Adá" are the
-- same username (it also tells emoji apart, which the older utf8mb4_unicode_ci does not);
-- the UNIQUE index makes the database, not the app, the final judge when two people register
-- the same name at the same moment.
CREATE TABLE users (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  username VARCHAR(32) NOT NULL,
  password_hash VARCHAR(100) NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY users_username_unique (username)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
