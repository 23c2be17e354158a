// Runs one SQL statement inside the app's container and prints its rows as JSON. The Docker runner
// feeds this file to `node -` there (the database is on an internal network the host cannot reach),
// with the statement and its placeholder values as one JSON argument: ["SELECT … ?", [value]].
const mysql = require('mysql2/promise');

async function main() {
  const [query, params] = JSON.parse(process.argv[2]);
  const env = process.env;
  const conn = await mysql.createConnection({
    host: env.DB_HOST,
    port: Number(env.DB_PORT),
    user: env.DB_USER,
    password: env.DB_PASSWORD,
    database: env.DB_NAME,
  });
  try {
    const [rows] = await conn.execute(query, params);
    console.log(JSON.stringify(rows));
  } finally {
    await conn.end();
  }
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
