// Uses only the environment that `stratum run --stack S --stage G -- node app.js` provides.
const { Client } = require('pg');
const mysql = require('mysql2/promise');
const { createClient } = require('redis');

async function main() {
  const stamp = `hello-${Date.now()}`;

  const pg = new Client({ connectionString: process.env.DATABASE_URL });
  await pg.connect();
  await pg.query('CREATE TABLE IF NOT EXISTS greetings (text text)');
  await pg.query('INSERT INTO greetings VALUES ($1)', [stamp]);
  const pgRow = await pg.query('SELECT text FROM greetings WHERE text = $1', [stamp]);
  await pg.end();
  console.log(`pg ok ${pgRow.rows[0].text}`);

  const my = await mysql.createConnection({
    host: process.env.MYSQL_HOST,
    port: Number(process.env.MYSQL_PORT),
    user: process.env.MYSQL_USERNAME,
    password: process.env.MYSQL_CREDENTIALS_SECRET,
    database: process.env.MYSQL_DATABASE,
  });
  await my.query('CREATE TABLE IF NOT EXISTS greetings (text varchar(100))');
  await my.query('INSERT INTO greetings VALUES (?)', [stamp]);
  const [myRows] = await my.query('SELECT text FROM greetings WHERE text = ?', [stamp]);
  await my.end();
  console.log(`mysql ok ${myRows[0].text}`);

  const redis = createClient({ url: process.env.REDIS_URL });
  await redis.connect();
  await redis.set('greeting', stamp);
  const value = await redis.get('greeting');
  await redis.quit();
  console.log(`redis ok ${value}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
