-- Workload that testdata/record.sh runs against a private MariaDB with
-- encrypt_binlog=ON to record the encrypted binlogs in testdata/encrypted/.
-- Small on purpose: the encrypted files are kept with the server's plaintext
-- stream of each, so every byte is stored twice. It still covers what the
-- decryption must get right: events of every length modulo 16 (AES-CBC's
-- partial last block), row events of several types with before and after
-- images, compressed events, a multi-statement transaction, DDL, a
-- rotation (FLUSH BINARY LOGS) and a server restart ("-- @restart"), so
-- several files, each with its own nonce.

SET NAMES utf8mb4;
SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION';
SET SESSION time_zone = '+00:00';

CREATE DATABASE shop CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
USE shop;

CREATE TABLE orders (
  id INT NOT NULL PRIMARY KEY,
  customer VARCHAR(40) NOT NULL,
  amount DECIMAL(10,2) NOT NULL,
  placed DATETIME(3) NOT NULL,
  note TEXT,
  status ENUM('new','paid','shipped') NOT NULL DEFAULT 'new'
) ENGINE=InnoDB;

-- Row events of growing length: each INSERT adds one more character, so the
-- events' lengths cover every remainder modulo 16.
INSERT INTO orders VALUES (1, 'a', 1.00, '2026-01-02 03:04:05.001', NULL, 'new');
INSERT INTO orders VALUES (2, 'ab', 2.00, '2026-01-02 03:04:05.002', 'x', 'new');
INSERT INTO orders VALUES (3, 'abc', 3.00, '2026-01-02 03:04:05.003', 'xx', 'new');
INSERT INTO orders VALUES (4, 'abcd', 4.00, '2026-01-02 03:04:05.004', 'xxx', 'new');
INSERT INTO orders VALUES (5, 'abcde', 5.00, '2026-01-02 03:04:05.005', 'xxxx', 'new');
INSERT INTO orders VALUES (6, 'abcdef', 6.00, '2026-01-02 03:04:05.006', 'xxxxx', 'new');
INSERT INTO orders VALUES (7, 'abcdefg', 7.00, '2026-01-02 03:04:05.007', 'xxxxxx', 'new');
INSERT INTO orders VALUES (8, 'abcdefgh', 8.00, '2026-01-02 03:04:05.008', 'xxxxxxx', 'new');
INSERT INTO orders VALUES (9, 'abcdefghi', 9.00, '2026-01-02 03:04:05.009', 'xxxxxxxx', 'new');
INSERT INTO orders VALUES (10, 'abcdefghij', 10.00, '2026-01-02 03:04:05.010', 'xxxxxxxxx', 'new');
INSERT INTO orders VALUES (11, 'abcdefghijk', 11.00, '2026-01-02 03:04:05.011', 'xxxxxxxxxx', 'new');
INSERT INTO orders VALUES (12, 'abcdefghijkl', 12.00, '2026-01-02 03:04:05.012', 'xxxxxxxxxxx', 'new');
INSERT INTO orders VALUES (13, 'abcdefghijklm', 13.00, '2026-01-02 03:04:05.013', 'xxxxxxxxxxxx', 'new');
INSERT INTO orders VALUES (14, 'abcdefghijklmn', 14.00, '2026-01-02 03:04:05.014', 'xxxxxxxxxxxxx', 'new');
INSERT INTO orders VALUES (15, 'abcdefghijklmno', 15.00, '2026-01-02 03:04:05.015', 'xxxxxxxxxxxxxx', 'new');
INSERT INTO orders VALUES (16, 'abcdefghijklmnop', 16.00, '2026-01-02 03:04:05.016', 'xxxxxxxxxxxxxxx', 'new');

-- A multi-row INSERT, an UPDATE of several rows and a DELETE in one
-- transaction.
BEGIN;
INSERT INTO orders
  SELECT 100 + seq, CONCAT('bulk-', seq), seq * 1.5, '2026-02-03 04:05:06.789', REPEAT('n', seq), 'new'
  FROM seq_1_to_40;
UPDATE orders SET status = 'paid', amount = amount + 0.25 WHERE id BETWEEN 101 AND 120;
DELETE FROM orders WHERE id IN (3, 5, 7);
COMMIT;

-- A wider table and a keyless one.
CREATE TABLE items (
  order_id INT NOT NULL, sku CHAR(8) NOT NULL, qty SMALLINT UNSIGNED,
  price DOUBLE, tags SET('a','b','c'), blobby BLOB,
  PRIMARY KEY (order_id, sku)
) ENGINE=InnoDB;
INSERT INTO items VALUES
  (1, 'SKU-0001', 2, 9.99, 'a,c', x'00ff10'),
  (2, 'SKU-0002', 1, 0.5, '', NULL),
  (2, 'SKU-0003', 65535, -1.25, 'b', REPEAT(x'ab', 300));
CREATE TABLE audit (who VARCHAR(20), what VARCHAR(200)) ENGINE=InnoDB;
INSERT INTO audit VALUES ('ops', 'first'), ('ops', 'first');
UPDATE items SET qty = qty - 1 WHERE order_id = 2 AND sku = 'SKU-0003';

-- Compressed events (log_bin_compress): QUERY_COMPRESSED and
-- *_ROWS_COMPRESSED_V1, encrypted like any other.
SET GLOBAL log_bin_compress_min_len = 10;
SET GLOBAL log_bin_compress = ON;
INSERT INTO audit VALUES ('compressed', REPEAT('compress me ', 15));
UPDATE audit SET what = CONCAT(what, '!') WHERE who = 'compressed';
SET GLOBAL log_bin_compress = OFF;

FLUSH BINARY LOGS;

-- The second file: its own START_ENCRYPTION and nonce.
UPDATE orders SET status = 'shipped' WHERE id IN (1, 2);
DELETE FROM audit WHERE who = 'ops' LIMIT 1;
ALTER TABLE orders ADD COLUMN carrier VARCHAR(20) NULL AFTER status;
UPDATE orders SET carrier = 'post' WHERE id = 1;

-- @restart
-- After a server restart: a new file, new table ids.
USE shop;
INSERT INTO orders (id, customer, amount, placed) VALUES (500, 'after restart', 5.00, '2026-03-04 05:06:07.000');
DELETE FROM items WHERE order_id = 1;
