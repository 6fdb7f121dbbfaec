-- Workload of the "hires" variant of testdata/record.sh: MariaDB's older
-- ("hires") TIME(n)/DATETIME(n)/TIMESTAMP(n) formats, which a server started
-- with --mysql56-temporal-format=OFF gives new tables (and tables created
-- before MariaDB 10.1 have). Their Table_maps carry the old type codes
-- TIME/DATETIME/TIMESTAMP without the precision, and their values take more
-- bytes than the old types' (TESTCASES #35).
--
-- .000001 holds a table of genuine old columns (no fraction), which
-- mariadb-binlog prints, `m56`, the same table as `h` below created in
-- MySQL 5.6's formats (TIME2/DATETIME2/TIMESTAMP2), with the very statements
-- `h` gets: mariadb-binlog prints its rows, and they are the reference for
-- `h`'s; and the CREATE TABLE of `h`. .000002 holds `h`'s rows in the hires
-- formats (mariadb-binlog stops at the first) and an ALTER TABLE changing
-- precisions; at its end an ALTER TABLE under mysql56_temporal_format=ON
-- turns `h` into MySQL 5.6's formats. Keep the two DML blocks identical but
-- for the table name and the SET GLOBAL lines.
--
-- The file must stay runnable with `mariadb --binary-mode < hires.sql` on a
-- server started with --mysql56-temporal-format=OFF.

SET NAMES utf8mb4;
-- Strict mode, but zero dates and zero-in-date allowed.
SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION';
SET SESSION time_zone = '+00:00';

CREATE DATABASE hires CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
USE hires;

-- ---------------------------------------------------------------------------
-- Genuine old columns (precision 0): the old formats themselves, logged
-- with the same type codes as the hires ones. Several rows per event.
CREATE TABLE old0 (
  id INT NOT NULL PRIMARY KEY,
  d DATETIME, t TIME, ts TIMESTAMP NULL, t0 TIME(0),
  note VARCHAR(10)
) ENGINE=InnoDB;
INSERT INTO old0 VALUES
  (1, '9999-12-31 23:59:59', '838:59:59', '2038-01-19 03:14:07', '-838:59:59', 'max'),
  (2, '1000-01-01 00:00:00', '-00:00:01', '1970-01-01 00:00:01', '00:00:00', 'min'),
  (3, '0000-00-00 00:00:00', '00:00:00', '0000-00-00 00:00:00', '100:08:04', 'zero'),
  (4, '2013-00-00 12:34:56', '-507:48:27', '2001-09-09 01:46:40', '24:00:00', 'partial'),
  (5, NULL, NULL, NULL, NULL, NULL);
UPDATE old0 SET d = '2024-02-29 23:59:59', t = '-16:08:04', ts = '2024-01-02 03:04:05' WHERE id IN (1, 3, 5);
DELETE FROM old0 WHERE id IN (2, 4);

-- ---------------------------------------------------------------------------
-- The reference twin, in MySQL 5.6's formats.
SET GLOBAL mysql56_temporal_format = ON;
CREATE TABLE m56 (
  id INT NOT NULL PRIMARY KEY,
  t1 TIME(1), t2 TIME(2), t3 TIME(3), t4 TIME(4), t5 TIME(5), t6 TIME(6),
  d1 DATETIME(1), d2 DATETIME(2), d3 DATETIME(3), d4 DATETIME(4), d5 DATETIME(5), d6 DATETIME(6),
  s1 TIMESTAMP(1) NULL, s2 TIMESTAMP(2) NULL, s3 TIMESTAMP(3) NULL, s4 TIMESTAMP(4) NULL, s5 TIMESTAMP(5) NULL, s6 TIMESTAMP(6) NULL,
  t0 TIME(0), d0 DATETIME, s0 TIMESTAMP NULL,
  note VARCHAR(20)
) ENGINE=InnoDB;
SET GLOBAL mysql56_temporal_format = OFF;

-- @block m56 (the same as @block h below)
-- Every boundary, each value given to all six precisions of its type (the
-- server truncates to each).
SET @t = '838:59:59.999999', @d = '9999-12-31 23:59:59.999999', @s = '2038-01-19 03:14:07.999999';
SET @t2 = '-838:59:59.999999', @d2 = '1000-01-01 00:00:00.000000', @s2 = '1970-01-01 00:00:01.000000';
SET @t3 = '00:00:00', @d3 = '0000-00-00 00:00:00', @s3 = '0000-00-00 00:00:00';
SET @t4 = '-00:00:00.000001', @d4 = '2013-00-00 00:00:00.000001', @s4 = '1970-01-01 00:00:01.000001';
INSERT INTO m56 VALUES
  (1, @t, @t, @t, @t, @t, @t, @d, @d, @d, @d, @d, @d, @s, @s, @s, @s, @s, @s, @t, @d, @s, 'max'),
  (2, @t2, @t2, @t2, @t2, @t2, @t2, @d2, @d2, @d2, @d2, @d2, @d2, @s2, @s2, @s2, @s2, @s2, @s2, @t2, @d2, @s2, 'min'),
  (3, @t3, @t3, @t3, @t3, @t3, @t3, @d3, @d3, @d3, @d3, @d3, @d3, @s3, @s3, @s3, @s3, @s3, @s3, @t3, @d3, @s3, 'zero'),
  (4, @t4, @t4, @t4, @t4, @t4, @t4, @d4, @d4, @d4, @d4, @d4, @d4, @s4, @s4, @s4, @s4, @s4, @s4, @t4, @d4, @s4, 'tiny');
-- Over 24 hours, negative, fractions in pairs of digits and not.
SET @t = '100:08:04.010123', @d = '2024-02-29 23:59:59.5', @s = '2001-09-09 01:46:40.123456';
INSERT INTO m56 VALUES (5, @t, @t, @t, @t, @t, @t, @d, @d, @d, @d, @d, @d, @s, @s, @s, @s, @s, @s, @t, @d, @s, 'over24h');
SET @t = '-507:48:27.654321', @d = '0000-03-21 12:34:56.789012', @s = '2024-01-02 03:04:05.000006';
INSERT INTO m56 VALUES (6, @t, @t, @t, @t, @t, @t, @d, @d, @d, @d, @d, @d, @s, @s, @s, @s, @s, @s, @t, @d, @s, 'negative');
INSERT INTO m56 (id, note) VALUES (7, 'nulls');
SET @t = '-16:08:04.01', @d = '1989-00-21 01:02:03.04', @s = '2020-02-02 02:02:02.05';
INSERT INTO m56 VALUES (8, @t, @t, @t, @t, @t, @t, @d, @d, @d, @d, @d, @d, @s, @s, @s, @s, @s, @s, @t, @d, @s, 'pairs');
-- Half a second after the epoch: 0 seconds and a fraction, not the zero
-- TIMESTAMP.
UPDATE m56 SET s1 = '1970-01-01 00:00:00.5', s2 = '1970-01-01 00:00:00.5', s3 = '1970-01-01 00:00:00.5',
  s4 = '1970-01-01 00:00:00.5', s5 = '1970-01-01 00:00:00.5', s6 = '1970-01-01 00:00:00.5' WHERE id = 3;
-- Several rows in one UPDATE.
UPDATE m56 SET t3 = '-00:00:00.5', t6 = '00:00:00.000001', d2 = '2000-01-01 00:00:00.99', d6 = '2000-01-01 00:00:00.999999',
  s3 = '2000-01-01 00:00:00.001', s6 = NULL, t0 = '-00:00:00', note = CONCAT(note, '+') WHERE id IN (5, 6, 8);
DELETE FROM m56 WHERE id IN (2, 7);
-- The precisions change: later rows are read with the new ones.
SET GLOBAL mysql56_temporal_format = ON;
ALTER TABLE m56 MODIFY t3 TIME(4), MODIFY d2 DATETIME(5), ADD COLUMN s4b TIMESTAMP(4) NULL AFTER s3;
SET GLOBAL mysql56_temporal_format = OFF;
SET @t = '-1:02:03.456789', @d = '2026-11-21 10:30:00.123456', @s = '2026-11-21 10:30:00.654321';
INSERT INTO m56 VALUES
  (9, @t, @t, @t, @t, @t, @t, @d, @d, @d, @d, @d, @d, @s, @s, @s, @s, @s, @s, @s, @t, @d, @s, 'altered'),
  (10, '838:59:59.9', '838:59:59.99', '838:59:59.9999', '838:59:59.9999', '838:59:59.99999', '838:59:59.999999',
   '9999-12-31 23:59:59.9', '9999-12-31 23:59:59.99999', '9999-12-31 23:59:59.999', '9999-12-31 23:59:59.9999', '9999-12-31 23:59:59.99999', '9999-12-31 23:59:59.999999',
   '2038-01-19 03:14:07.9', '2038-01-19 03:14:07.99', '2038-01-19 03:14:07.999', '2038-01-19 03:14:07.9999', '2038-01-19 03:14:07.9999', '2038-01-19 03:14:07.99999', '2038-01-19 03:14:07.999999',
   '838:59:59', '9999-12-31 23:59:59', '2038-01-19 03:14:07', 'max4');
UPDATE m56 SET t3 = '-838:59:59.9999', d2 = '1000-01-01 00:00:00.00001', s4b = '1970-01-01 00:00:00.0001' WHERE id IN (9, 10);
DELETE FROM m56 WHERE id = 1;
-- @end m56

-- ---------------------------------------------------------------------------
-- The table in MariaDB's hires formats, created in the stream: in .000001,
-- so that .000002 alone holds its rows without its definition.
CREATE TABLE h (
  id INT NOT NULL PRIMARY KEY,
  t1 TIME(1), t2 TIME(2), t3 TIME(3), t4 TIME(4), t5 TIME(5), t6 TIME(6),
  d1 DATETIME(1), d2 DATETIME(2), d3 DATETIME(3), d4 DATETIME(4), d5 DATETIME(5), d6 DATETIME(6),
  s1 TIMESTAMP(1) NULL, s2 TIMESTAMP(2) NULL, s3 TIMESTAMP(3) NULL, s4 TIMESTAMP(4) NULL, s5 TIMESTAMP(5) NULL, s6 TIMESTAMP(6) NULL,
  t0 TIME(0), d0 DATETIME, s0 TIMESTAMP NULL,
  note VARCHAR(20)
) ENGINE=InnoDB;

FLUSH BINARY LOGS;

-- @block h (the same as @block m56 above)
-- Every boundary, each value given to all six precisions of its type (the
-- server truncates to each).
SET @t = '838:59:59.999999', @d = '9999-12-31 23:59:59.999999', @s = '2038-01-19 03:14:07.999999';
SET @t2 = '-838:59:59.999999', @d2 = '1000-01-01 00:00:00.000000', @s2 = '1970-01-01 00:00:01.000000';
SET @t3 = '00:00:00', @d3 = '0000-00-00 00:00:00', @s3 = '0000-00-00 00:00:00';
SET @t4 = '-00:00:00.000001', @d4 = '2013-00-00 00:00:00.000001', @s4 = '1970-01-01 00:00:01.000001';
INSERT INTO h VALUES
  (1, @t, @t, @t, @t, @t, @t, @d, @d, @d, @d, @d, @d, @s, @s, @s, @s, @s, @s, @t, @d, @s, 'max'),
  (2, @t2, @t2, @t2, @t2, @t2, @t2, @d2, @d2, @d2, @d2, @d2, @d2, @s2, @s2, @s2, @s2, @s2, @s2, @t2, @d2, @s2, 'min'),
  (3, @t3, @t3, @t3, @t3, @t3, @t3, @d3, @d3, @d3, @d3, @d3, @d3, @s3, @s3, @s3, @s3, @s3, @s3, @t3, @d3, @s3, 'zero'),
  (4, @t4, @t4, @t4, @t4, @t4, @t4, @d4, @d4, @d4, @d4, @d4, @d4, @s4, @s4, @s4, @s4, @s4, @s4, @t4, @d4, @s4, 'tiny');
-- Over 24 hours, negative, fractions in pairs of digits and not.
SET @t = '100:08:04.010123', @d = '2024-02-29 23:59:59.5', @s = '2001-09-09 01:46:40.123456';
INSERT INTO h VALUES (5, @t, @t, @t, @t, @t, @t, @d, @d, @d, @d, @d, @d, @s, @s, @s, @s, @s, @s, @t, @d, @s, 'over24h');
SET @t = '-507:48:27.654321', @d = '0000-03-21 12:34:56.789012', @s = '2024-01-02 03:04:05.000006';
INSERT INTO h VALUES (6, @t, @t, @t, @t, @t, @t, @d, @d, @d, @d, @d, @d, @s, @s, @s, @s, @s, @s, @t, @d, @s, 'negative');
INSERT INTO h (id, note) VALUES (7, 'nulls');
SET @t = '-16:08:04.01', @d = '1989-00-21 01:02:03.04', @s = '2020-02-02 02:02:02.05';
INSERT INTO h VALUES (8, @t, @t, @t, @t, @t, @t, @d, @d, @d, @d, @d, @d, @s, @s, @s, @s, @s, @s, @t, @d, @s, 'pairs');
-- Half a second after the epoch: 0 seconds and a fraction, not the zero
-- TIMESTAMP.
UPDATE h SET s1 = '1970-01-01 00:00:00.5', s2 = '1970-01-01 00:00:00.5', s3 = '1970-01-01 00:00:00.5',
  s4 = '1970-01-01 00:00:00.5', s5 = '1970-01-01 00:00:00.5', s6 = '1970-01-01 00:00:00.5' WHERE id = 3;
-- Several rows in one UPDATE.
UPDATE h SET t3 = '-00:00:00.5', t6 = '00:00:00.000001', d2 = '2000-01-01 00:00:00.99', d6 = '2000-01-01 00:00:00.999999',
  s3 = '2000-01-01 00:00:00.001', s6 = NULL, t0 = '-00:00:00', note = CONCAT(note, '+') WHERE id IN (5, 6, 8);
DELETE FROM h WHERE id IN (2, 7);
-- The precisions change: later rows are read with the new ones.
SET GLOBAL mysql56_temporal_format = OFF;
ALTER TABLE h MODIFY t3 TIME(4), MODIFY d2 DATETIME(5), ADD COLUMN s4b TIMESTAMP(4) NULL AFTER s3;
SET GLOBAL mysql56_temporal_format = OFF;
SET @t = '-1:02:03.456789', @d = '2026-11-21 10:30:00.123456', @s = '2026-11-21 10:30:00.654321';
INSERT INTO h VALUES
  (9, @t, @t, @t, @t, @t, @t, @d, @d, @d, @d, @d, @d, @s, @s, @s, @s, @s, @s, @s, @t, @d, @s, 'altered'),
  (10, '838:59:59.9', '838:59:59.99', '838:59:59.9999', '838:59:59.9999', '838:59:59.99999', '838:59:59.999999',
   '9999-12-31 23:59:59.9', '9999-12-31 23:59:59.99999', '9999-12-31 23:59:59.999', '9999-12-31 23:59:59.9999', '9999-12-31 23:59:59.99999', '9999-12-31 23:59:59.999999',
   '2038-01-19 03:14:07.9', '2038-01-19 03:14:07.99', '2038-01-19 03:14:07.999', '2038-01-19 03:14:07.9999', '2038-01-19 03:14:07.9999', '2038-01-19 03:14:07.99999', '2038-01-19 03:14:07.999999',
   '838:59:59', '9999-12-31 23:59:59', '2038-01-19 03:14:07', 'max4');
UPDATE h SET t3 = '-838:59:59.9999', d2 = '1000-01-01 00:00:00.00001', s4b = '1970-01-01 00:00:00.0001' WHERE id IN (9, 10);
DELETE FROM h WHERE id = 1;
-- @end h

-- ALTER TABLE with mysql56_temporal_format=ON rewrites every temporal
-- column of the table in MySQL 5.6's formats: the rows after it are logged
-- with TIME2/DATETIME2/TIMESTAMP2 and their metadata.
SET GLOBAL mysql56_temporal_format = ON;
ALTER TABLE h FORCE;
SET GLOBAL mysql56_temporal_format = OFF;
UPDATE h SET t6 = '-0:00:00.000002', d6 = '2001-01-01 00:00:00.000001', s6 = '2001-01-01 00:00:00.000001' WHERE id = 5;
DELETE FROM h WHERE id = 10;
