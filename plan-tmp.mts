import { openDb } from '@/server/local-cognito/db';
import { makeTempDir } from '@/server/local-cognito/test-support';
const db = openDb(makeTempDir());
const q = (sql: string) => console.log(sql.slice(0, 150), '\n   ', (db.prepare('EXPLAIN QUERY PLAN ' + sql).all(...Array((sql.match(/\?/g) ?? []).length).fill('x')) as any[]).map(r => r.detail).join(' | '));
q("SELECT * FROM users WHERE pool_id = ? ORDER BY username_key LIMIT ?");
q("SELECT * FROM users WHERE pool_id = ? AND username_key > ? ORDER BY username_key LIMIT ?");
q("SELECT * FROM users WHERE pool_id = ? AND email >= ? AND email < ? ORDER BY email, username_key LIMIT ?");
q("SELECT * FROM users WHERE pool_id = ? AND email >= ? AND email < ? AND (email, username_key) > (?, ?) ORDER BY email, username_key LIMIT ?");
q("SELECT * FROM users WHERE pool_id = ? AND email = ? AND username_key > ? ORDER BY username_key LIMIT ?");
q("SELECT * FROM users WHERE pool_id = ? AND phone_number >= ? AND (phone_number, username_key) > (?, ?) ORDER BY phone_number, username_key LIMIT ?");
q("SELECT * FROM users WHERE pool_id = ? AND json_extract(attributes, '$.name') >= ? AND json_extract(attributes, '$.name') < ? ORDER BY json_extract(attributes, '$.name'), username_key LIMIT ?");
q("SELECT * FROM users WHERE pool_id = ? AND json_extract(attributes, '$.name') = ? AND username_key > ? ORDER BY username_key LIMIT ?");
q("SELECT * FROM users WHERE pool_id = ? AND enabled = 0 AND username_key > ? ORDER BY username_key LIMIT ?");
q("SELECT * FROM users WHERE pool_id = ? AND enabled = 1 ORDER BY username_key LIMIT ?");
q("SELECT * FROM users WHERE pool_id = ? AND status >= ? AND status < ? AND (status, username_key) > (?, ?) ORDER BY status, username_key LIMIT ?");
q("SELECT * FROM users WHERE pool_id = ? AND status = ? ORDER BY username_key LIMIT ?");
q("SELECT * FROM users WHERE pool_id = ? AND sub >= ? AND sub < ? AND sub > ? ORDER BY sub LIMIT ?");
q("SELECT * FROM users WHERE pool_id = ? AND sub = ? AND username_key > ? ORDER BY username_key LIMIT ?");
q("SELECT * FROM users WHERE pool_id = ? AND email = ? LIMIT 1");
q("SELECT * FROM users WHERE pool_id = ? AND email = ? AND username_key IS NOT ? LIMIT 1");
q("SELECT count(*) AS n FROM users WHERE pool_id = ?");
q(`SELECT u.* FROM user_groups ug JOIN users u ON u.pool_id = ug.pool_id AND u.username_key = ug.username_key
     WHERE ug.pool_id = ? AND ug.group_name = ? AND ug.username_key > ? ORDER BY ug.username_key LIMIT ?`);
q(`SELECT g.* FROM user_groups ug JOIN groups g ON g.pool_id = ug.pool_id AND g.name = ug.group_name
     WHERE ug.pool_id = ? AND ug.username_key = ? AND ug.group_name > ? ORDER BY ug.group_name LIMIT ?`);
