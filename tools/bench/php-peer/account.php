<?php
// A yardstick for `make bench`, not part of stacklab: the account page written the usual PHP way
// (PHP-FPM, PHP's own file sessions, PDO), so the bench can compare the app's GET /account with a
// page that does the same work (read the session, look the user up by id, render a small page)
// behind the same nginx. The bench starts it on a throwaway stack only (tools/bench/php-peer.ts).
//
//   POST username, password  signs in: bcrypt check against users.password_hash, a new session id
//   GET                      the account page of the signed-in user, or 401

declare(strict_types=1);

function db(): PDO
{
    // One connection per request, as a plain PHP-FPM page makes it (no persistent connections).
    $dsn = sprintf('mysql:host=%s;port=%s;dbname=%s;charset=utf8mb4', getenv('DB_HOST'), getenv('DB_PORT'), getenv('DB_NAME'));
    return new PDO($dsn, getenv('DB_USER'), getenv('DB_PASSWORD'), [
        PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
        PDO::ATTR_EMULATE_PREPARES => false,
    ]);
}

if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $stmt = db()->prepare('SELECT id, password_hash FROM users WHERE username = ?');
    $stmt->execute([(string) ($_POST['username'] ?? '')]);
    $row = $stmt->fetch(PDO::FETCH_ASSOC);
    if (!$row || !password_verify((string) ($_POST['password'] ?? ''), $row['password_hash'])) {
        http_response_code(401);
        exit('Wrong username or password.');
    }
    session_start();
    session_regenerate_id(true);
    $_SESSION['user_id'] = (int) $row['id'];
    http_response_code(303);
    header('Location: /peer/account.php');
    exit;
}

// Read the session and release its file lock at once: this page does not change it.
session_start(['read_and_close' => true]);
$userId = $_SESSION['user_id'] ?? null;
if (!is_int($userId)) {
    http_response_code(401);
    exit('Not signed in.');
}
$stmt = db()->prepare('SELECT id, username, created_at FROM users WHERE id = ?');
$stmt->execute([$userId]);
$user = $stmt->fetch(PDO::FETCH_ASSOC);
if (!$user) {
    http_response_code(401);
    exit('No such user.');
}
$name = htmlspecialchars($user['username'], ENT_QUOTES, 'UTF-8');
$since = (new DateTimeImmutable($user['created_at'], new DateTimeZone('UTC')))->format('j F Y');
?>
<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Account · stacklab (PHP peer)</title>
  <link rel="stylesheet" href="/static/css/site.css">
</head>
<body>
  <main class="container">
    <h1>Your account</h1>
    <dl class="facts">
      <dt>Username</dt>
      <dd><?= $name ?></dd>
      <dt>Member since</dt>
      <dd><?= $since ?></dd>
    </dl>
  </main>
</body>
</html>
