-- Workload with sensitive columns, for the masking tests (package mask and
-- the --mask flag of examples/binlogdump and examples/binlog2sql).
-- `bash testdata/record.sh sensitive` records it into
-- testdata/recorded/mariadb-<version>-sensitive.NNNNNN.
--
-- Every personal value here is made up; the identity numbers have valid
-- check characters and the card numbers pass the Luhn check (they are the
-- card networks' public test numbers), so that the value patterns must find
-- them. The masking tests list these values and check that none of them
-- survives in any output.

SET NAMES utf8mb4;
SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION';
SET SESSION time_zone = '+00:00';

CREATE DATABASE shop CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
USE shop;

CREATE TABLE users (
  id INT NOT NULL PRIMARY KEY,
  name VARCHAR(40) NOT NULL,
  phone VARCHAR(24),
  email VARCHAR(100),
  cn_id CHAR(18),
  card VARCHAR(25),
  password VARCHAR(64),
  note TEXT,
  profile JSON,
  mobile BIGINT UNSIGNED,
  born DATE
) ENGINE=InnoDB;

-- A table without sensitive columns: its events pass through unchanged,
-- except for values the value patterns find in free text.
CREATE TABLE orders (
  id INT NOT NULL PRIMARY KEY,
  user_id INT NOT NULL,
  sku VARCHAR(20) NOT NULL,
  amount DECIMAL(10,2) NOT NULL,
  comment VARCHAR(200)
) ENGINE=InnoDB;

-- ---------------------------------------------------------------------------
-- Row format: inserts, an update of sensitive columns, a delete.
INSERT INTO users VALUES
  (1, 'Alice Zhang', '13812345678', 'alice.zhang@example.com', '11010119900307803X', '4111 1111 1111 1111',
   'pw-Alice-2024!', 'VIP; backup contact: alice.backup@example.org, tel 15098765432',
   '{"email": "alice.zhang@example.com", "city": "Beijing", "phones": ["13812345678"]}', 13812345678, '1990-03-07'),
  (2, 'Bob Li', '+86 139-0000-1111', 'bob.li@example.net', '44030419851231002X', '5500-0000-0000-0004',
   'hunter2-bob', 'prefers e-mail: bob.li@example.net', '{"email": "bob.li@example.net", "city": "Shenzhen"}', 13900001111, '1985-12-31'),
  (3, 'Carol Wang', '18611112222', 'carol.wang@example.com', '310115197707224513', '378282246310005',
   'Carol#secret#77', NULL, NULL, NULL, '1977-07-22');

INSERT INTO orders VALUES
  (100, 1, 'SKU-1', 19.99, 'ship fast'),
  (101, 2, 'SKU-2', 5.00, 'call 13900001111 before delivery'),
  (102, 1, 'SKU-3', 7.50, 'invoice to alice.zhang@example.com');

UPDATE users SET phone = '13700001234', email = 'alice.new@example.com', password = 'pw-Alice-2025?',
  note = 'moved; new mail alice.new@example.com'
  WHERE id = 1;
UPDATE users SET card = '6011 1111 1111 1117' WHERE id = 2;
UPDATE orders SET amount = 21.00 WHERE id = 100;
DELETE FROM users WHERE id = 3;

-- ---------------------------------------------------------------------------
-- Statement format: QUERY events carry the literals, a user variable goes
-- through a USER_VAR event.
SET SESSION binlog_format = STATEMENT;
INSERT INTO users (id, name, phone, email, cn_id, card, password, note, mobile, born) VALUES
  (4, 'Dave Chen', '15811223344', 'dave.chen@example.com', '11010519491231002X', '4012888888881881',
   'dave-pass-4', 'contact dave.chen@example.com or 15811223344', 15811223344, '1949-12-31');
UPDATE users SET password = 'dave-pass-5', email = 'dave.c@example.com' WHERE id = 4;
SET @secret_note = 'temp pw: Tmp-Secret-9 for dave.chen@example.com';
UPDATE users SET note = @secret_note WHERE id = 4;
DELETE FROM users WHERE phone = '15811223344' AND id = 5;
SET SESSION binlog_format = ROW;

-- Back in row format: the same e-mail address in a second row, so that the
-- tests can check that equal values hash alike across rows and events.
INSERT INTO users (id, name, phone, email, password) VALUES
  (6, 'Alice Zhang (work)', '13812345678', 'alice.new@example.com', 'pw-Work-6');
DELETE FROM users WHERE id = 2;
