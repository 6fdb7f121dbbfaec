-- Workload that binlog/encrypted_mysql_integration_test.go runs against a
-- private MySQL 9.7 with binlog_encryption=ON (component_keyring_file) to
-- record testdata/encrypted/mysql-9_7-enc.* (BINLOGKIT_RECORD=1) and to
-- check decryption against the live server on every integration run. Small
-- on purpose; MySQL has no sequence engine, so a recursive CTE makes rows.
-- The line "-- @flush" splits the workload with FLUSH BINARY LOGS (a new
-- file, with a new file password).

SET NAMES utf8mb4;
SET SESSION time_zone = '+00:00';
CREATE DATABASE shop CHARACTER SET utf8mb4;
USE shop;
CREATE TABLE orders (
  id INT NOT NULL PRIMARY KEY,
  customer VARCHAR(40) NOT NULL,
  amount DECIMAL(10,2) NOT NULL,
  placed DATETIME(3) NOT NULL,
  note TEXT,
  doc JSON,
  status ENUM('new','paid','shipped') NOT NULL DEFAULT 'new'
) ENGINE=InnoDB;
INSERT INTO orders VALUES (1, 'a', 1.00, '2026-01-02 03:04:05.001', NULL, '{"k": 1}', 'new');
INSERT INTO orders VALUES (2, 'ab', 2.00, '2026-01-02 03:04:05.002', 'x', '[1, "two", null]', 'new');
INSERT INTO orders VALUES (3, 'abc', 3.00, '2026-01-02 03:04:05.003', 'xx', NULL, 'new');
INSERT INTO orders
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
  SELECT 100 + i, CONCAT('bulk-', i), i * 1.5, '2026-02-03 04:05:06.789', REPEAT('n', i), JSON_OBJECT('i', i), 'new' FROM n;
BEGIN;
UPDATE orders SET status = 'paid', amount = amount + 0.25 WHERE id BETWEEN 101 AND 120;
DELETE FROM orders WHERE id IN (2, 105);
COMMIT;
-- @flush
-- Compressed transactions: TRANSACTION_PAYLOAD events, encrypted like the rest.
USE shop;
SET SESSION binlog_transaction_compression = ON;
UPDATE orders SET note = REPEAT('compress me ', 20) WHERE id < 130;
DELETE FROM orders WHERE id > 135;
SET SESSION binlog_transaction_compression = OFF;
ALTER TABLE orders ADD COLUMN carrier VARCHAR(20) NULL;
UPDATE orders SET carrier = 'post' WHERE id = 1;
