-- Exercise 13: a busy site in one step. 300 members (member001 … member300) and 200 sign-ins each:
-- 60,000 rows in the sessions table, as a site with some traffic has. Run it as the app's own user:
--   make db-shell < docs/exercises/13-a-slow-page/seed.sql
-- The members' password hash is of a random password nobody knows, so nobody can sign in as them;
-- their sessions' ids are hashes of nothing any cookie holds. Running it twice adds 60,000 more sessions.
-- To take it all out again (their sessions go with them):
--   DELETE FROM users WHERE username LIKE 'member___' AND password_hash LIKE '$2b$12$vmT6Akqlowjb9M1YUSSMW%';

-- The digits 0–9, crossed with themselves: a way to make many rows that MariaDB and MySQL both know.
INSERT IGNORE INTO users (username, password_hash, created_at)
SELECT CONCAT('member', LPAD(h.n * 100 + t.n * 10 + u.n + 1, 3, '0')),
       '$2b$12$vmT6Akqlowjb9M1YUSSMWuDQKJdvRV4s.hsN231QTrZKtCDexNf3q',
       NOW(3) - INTERVAL 90 DAY
  FROM (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2) AS h
 CROSS JOIN (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
             UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) AS t
 CROSS JOIN (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
             UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) AS u;

-- 200 sign-ins per member over the last weeks, none in the future; they stay for 30 days.
INSERT INTO sessions (id, user_id, data, created_at, expires_at)
SELECT SHA2(CONCAT('seed-', m.id, '-', x.n, y.n, z.n, '-', RAND()), 256), m.id, '{}',
       NOW(3) - INTERVAL ((x.n * 20 + y.n * 2 + z.n) * 3600 + m.id * 11) SECOND,
       NOW(3) + INTERVAL 30 DAY
  FROM users AS m
 CROSS JOIN (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
             UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) AS x
 CROSS JOIN (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
             UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) AS y
 CROSS JOIN (SELECT 0 AS n UNION ALL SELECT 1) AS z
 WHERE m.username LIKE 'member___' AND m.password_hash = '$2b$12$vmT6Akqlowjb9M1YUSSMWuDQKJdvRV4s.hsN231QTrZKtCDexNf3q';

SELECT COUNT(*) AS sessions FROM sessions;
