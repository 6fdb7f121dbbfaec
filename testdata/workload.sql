-- Workload that testdata/record.sh runs against a private MariaDB to record
-- the binlogs in testdata/recorded/. Every section says what it is there for;
-- the file must stay runnable with `mariadb --binary-mode < workload.sql`.
--
-- The line "-- @restart" splits the workload: record.sh stops the server
-- there (the file ends with a STOP event) and starts it again before running
-- the rest, so table ids restart after it.
--
-- Everything is deterministic except what the server adds itself (event
-- timestamps, UUID() values are avoided, server UUIDs do not exist in
-- MariaDB binlogs).

SET NAMES utf8mb4;
-- Strict mode, but zero dates and zero-in-date allowed (no NO_ZERO_DATE,
-- no NO_ZERO_IN_DATE): '0000-00-00' and '2013-00-00' are stored as is.
SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION';
SET SESSION time_zone = '+00:00';
SET SESSION group_concat_max_len = 1048576;

CREATE DATABASE binlogkit CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
USE binlogkit;

-- ---------------------------------------------------------------------------
-- Integers: every width, signed and unsigned, at both extremes, zero, -1, NULL.
CREATE TABLE ints (
  id INT NOT NULL PRIMARY KEY,
  ti TINYINT, tiu TINYINT UNSIGNED,
  si SMALLINT, siu SMALLINT UNSIGNED,
  mi MEDIUMINT, miu MEDIUMINT UNSIGNED,
  i INT, iu INT UNSIGNED,
  bi BIGINT, biu BIGINT UNSIGNED,
  bool_ BOOLEAN
) ENGINE=InnoDB;
INSERT INTO ints VALUES
  (1, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0, 0),
  (2, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615, 1),
  (3, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0),
  (4, -1, 128, -1, 32768, -1, 8388608, -1, 2147483648, -1, 9223372036854775808, -1),
  (5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
-- One UPDATE touching several rows (several before/after pairs in one event).
UPDATE ints SET ti = ti DIV 2, biu = 3230202323 WHERE id IN (1, 2, 3);
DELETE FROM ints WHERE id = 4;

-- ---------------------------------------------------------------------------
-- Floating point and fixed point.
CREATE TABLE nums (
  id INT NOT NULL PRIMARY KEY,
  f FLOAT, d DOUBLE, f73 FLOAT(7,3), d102 DOUBLE(10,2),
  dec65 DECIMAL(65,30), dec14 DECIMAL(14,4), dec21 DECIMAL(2,1),
  dec10 DECIMAL(10,0), dec134 DECIMAL(13,4), decu DECIMAL(5,2) UNSIGNED,
  dec6530 DECIMAL(65,0)
) ENGINE=InnoDB;
INSERT INTO nums VALUES
  (1, 3.40282e38, 1.7976931348623157e308, 1234.567, 12345678.90,
   99999999999999999999999999999999999.999999999999999999999999999999,
   1234567890.1234, -0.5, 0, 0.3333, 999.99,
   99999999999999999999999999999999999999999999999999999999999999999),
  (2, -3.40282e38, -1.7976931348623157e308, -1234.567, -12345678.90,
   -99999999999999999999999999999999999.999999999999999999999999999999,
   -1234567890.1234, 0.5, -1234567890, -0.3333, 0.01,
   -99999999999999999999999999999999999999999999999999999999999999999),
  (3, 1.17549e-38, 2.2250738585072014e-308, 0.001, 0.01,
   0.000000000000000000000000000001, 0.0001, 0.1, 1, 0.0000, 0.00, 0),
  (4, -0.0, -0.0, 0, 0, 0, 0, 0, 0, 1.5, 1.00, 1),
  (5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
UPDATE nums SET dec14 = dec14 * -1, dec21 = -0.5 WHERE id IN (1, 2, 3);

-- ---------------------------------------------------------------------------
-- BIT of several widths, top bit set.
CREATE TABLE bits (
  id INT NOT NULL PRIMARY KEY,
  b1 BIT(1), b3 BIT(3), b6 BIT(6), b12 BIT(12), b16 BIT(16), b64 BIT(64)
) ENGINE=InnoDB;
INSERT INTO bits VALUES
  (1, b'1', b'101', b'100001', b'101010101010', b'1000000000000001', 0xFFFFFFFFFFFFFFFF),
  (2, b'0', b'000', b'000000', b'000000000000', b'0000000000000000', 0x0000000000000000),
  (3, b'1', b'111', b'111111', b'111111111111', 0xFFFF, 0x8000000000000001),
  (4, NULL, NULL, NULL, NULL, NULL, NULL);

-- ---------------------------------------------------------------------------
-- Temporal types at every fractional precision, zero and partial-zero dates,
-- negative and >24h TIME values.
CREATE TABLE temporal (
  id INT NOT NULL PRIMARY KEY,
  d DATE,
  t0 TIME(0), t1 TIME(1), t2 TIME(2), t3 TIME(3), t4 TIME(4), t5 TIME(5), t6 TIME(6),
  dt0 DATETIME(0), dt1 DATETIME(1), dt2 DATETIME(2), dt3 DATETIME(3),
  dt4 DATETIME(4), dt5 DATETIME(5), dt6 DATETIME(6),
  ts0 TIMESTAMP(0) NULL DEFAULT NULL, ts3 TIMESTAMP(3) NULL DEFAULT NULL,
  ts6 TIMESTAMP(6) NULL DEFAULT NULL,
  y YEAR
) ENGINE=InnoDB;
INSERT INTO temporal VALUES
  (1, '0000-00-00',
   '-838:59:59', '-838:59:58.9', '-838:59:58.99', '-838:59:58.999', '-838:59:58.9999', '-838:59:58.99999', '-838:59:58.999999',
   '0000-00-00 00:00:00', '0000-00-00 00:00:00.0', '0000-00-00 00:00:00.00', '0000-00-00 00:00:00.000',
   '0000-00-00 00:00:00.0000', '0000-00-00 00:00:00.00000', '0000-00-00 00:00:00.000000',
   '0000-00-00 00:00:00', '0000-00-00 00:00:00.000', '0000-00-00 00:00:00.000000',
   0),
  (2, '9999-12-31',
   '838:59:59', '838:59:58.9', '838:59:58.99', '838:59:58.999', '838:59:58.9999', '838:59:58.99999', '838:59:58.999999',
   '9999-12-31 23:59:59', '9999-12-31 23:59:59.9', '9999-12-31 23:59:59.99', '9999-12-31 23:59:59.999',
   '9999-12-31 23:59:59.9999', '9999-12-31 23:59:59.99999', '9999-12-31 23:59:59.999999',
   '2038-01-19 03:14:07', '2038-01-19 03:14:07.999', '2038-01-19 03:14:07.999999',
   2155),
  (3, '1000-01-01',
   '-00:00:01', '-00:00:00.1', '-00:00:00.01', '-00:00:00.001', '-00:00:00.0001', '-00:00:00.00001', '-00:00:00.000001',
   '1000-01-01 00:00:00', '2012-03-18 11:30:45.7', '2012-03-18 11:30:45.07', '2012-03-18 11:30:45.7',
   '2012-03-18 11:30:45.0007', '2012-03-18 11:30:45.00007', '2012-03-18 11:30:45.654321',
   '1970-01-01 00:00:01', '1970-01-01 00:00:01.5', '1970-01-01 00:00:01.000001',
   1901),
  (4, '0000-03-21',
   '-507:48:27', '-16:08:04.1', '-16:08:04.01', '-16:08:04.001', '-16:08:04.0101', '-16:08:04.01012', '-16:08:04.010123',
   '1989-00-21 10:00:00', '2013-00-00 00:00:00.5', '0000-03-21 01:02:03.45', '2013-00-00 12:34:56.7',
   '1989-00-21 00:00:00.0001', '2013-00-00 00:00:00.00001', '0000-00-00 00:00:00.000001',
   '2001-09-09 01:46:40', '2001-09-09 01:46:40.123', '2001-09-09 01:46:40.123456',
   2069),
  (5, '1989-00-21',
   '24:00:00', '100:08:04.5', '87:31:46.65', '87:31:46.654', '00:00:00.0001', '-00:00:01.5', '-01:00:00.000001',
   '2024-02-29 23:59:59', NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL,
   70),
  (6, '2013-00-00', '100:08:04', NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (7, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
UPDATE temporal SET t6 = '-00:00:00.5', ts6 = '2020-02-02 02:02:02.020202' WHERE id IN (5, 6, 7);

-- ---------------------------------------------------------------------------
-- Strings: long CHAR (real type 254 with the "long CHAR" metadata), VARCHAR
-- with 1- and 2-byte lengths, BINARY with trailing zero bytes, VARBINARY,
-- utf8mb4 4-byte characters, latin1, gbk, ucs2, utf16 and binary columns.
CREATE TABLE strs (
  id INT NOT NULL PRIMARY KEY,
  c255 CHAR(255) CHARACTER SET utf8mb4,
  c2 CHAR(2) CHARACTER SET utf8mb4,
  c10l CHAR(10) CHARACTER SET latin1,
  vc300 VARCHAR(300) CHARACTER SET utf8mb4,
  vc10l VARCHAR(10) CHARACTER SET latin1,
  bin16 BINARY(16),
  vb20 VARBINARY(20),
  vb1000 VARBINARY(1000),
  lat VARCHAR(50) CHARACTER SET latin1 COLLATE latin1_swedish_ci,
  gb VARCHAR(50) CHARACTER SET gbk,
  uc VARCHAR(20) CHARACTER SET ucs2,
  u16 CHAR(5) CHARACTER SET utf16,
  u8mb3 VARCHAR(20) CHARACTER SET utf8mb3
) ENGINE=InnoDB;
INSERT INTO strs VALUES
  (1, REPEAT('😀', 255), 'ab', 'abcdefghij', REPEAT('ü', 300), '0123456789',
   x'0102030405060708090a0b0c00000000', x'00ff00ff', REPEAT(x'c0ffee', 300),
   'café naïve Ærø ß', '中文字符 汉语', 'ÅÄÖ ucs2', 'ü😀', 'utf8 ✓ mb3'),
  (2, '', '', '', '', '', x'00000000000000000000000000000000', x'', x'',
   '', '', '', '', ''),
  (3, 'trailing spaces   ', 'x ', 'pad  ', 'varchar keeps spaces   ', 'a b ',
   x'20202020202020202020202020202020', x'2000', x'00',
   'Ä', '半角', 'x', 'y', 'z'),
  (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
UPDATE strs SET vc300 = CONCAT(LEFT(vc300, 299), '✓'), bin16 = x'ff' WHERE id IN (1, 2, 3);

-- ---------------------------------------------------------------------------
-- BLOB and TEXT of every size class (length prefixes of 1, 2, 3 and 4 bytes);
-- values over 255 bytes so the 2-byte prefix uses its high byte. JSON is
-- LONGTEXT with a CHECK constraint in MariaDB.
CREATE TABLE lobs (
  id INT NOT NULL PRIMARY KEY,
  tb TINYBLOB, b BLOB, mb MEDIUMBLOB, lb LONGBLOB,
  tt TINYTEXT, t TEXT, mt MEDIUMTEXT CHARACTER SET latin1, lt LONGTEXT,
  j JSON
) ENGINE=InnoDB;
INSERT INTO lobs VALUES
  (1, REPEAT(x'ab', 255), REPEAT(x'00ff', 150), REPEAT('m', 300), REPEAT(x'01', 260),
   REPEAT('t', 63), REPEAT('ß', 150), REPEAT('é', 260), REPEAT('🐬', 70),
   '{"a": [1, 2.5, {"b": null}], "ü": "✓", "big": 18446744073709551615, "neg": -9223372036854775808, "t": true, "": ""}'),
  (2, x'', x'', x'', x'', '', '', '', '', '[]'),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
UPDATE lobs SET j = JSON_SET(j, '$.a[0]', 100), tt = 'updated' WHERE id IN (1, 2);

-- ---------------------------------------------------------------------------
-- ENUM with 1 and 2 bytes, SET with 1, 2, 3, 4 and 8 bytes. The long member
-- lists are generated here rather than written out.
CREATE TABLE enums (
  id INT NOT NULL PRIMARY KEY,
  e3 ENUM('a', 'b', 'c'),
  s8 SET('s1','s2','s3','s4','s5','s6','s7','s8'),
  s12 SET('a','b','c','d','e','f','g','h','i','j','k','l'),
  s18 SET('m01','m02','m03','m04','m05','m06','m07','m08','m09','m10','m11','m12','m13','m14','m15','m16','m17','m18')
) ENGINE=InnoDB;
SET @members300 = (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
                   SELECT GROUP_CONCAT(CONCAT('''e', i, '''') ORDER BY i) FROM n);
SET @members25 = (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25)
                  SELECT GROUP_CONCAT(CONCAT('''q', i, '''') ORDER BY i) FROM n);
SET @members64 = (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 64)
                  SELECT GROUP_CONCAT(CONCAT('''w', i, '''') ORDER BY i) FROM n);
SET @ddl = CONCAT('ALTER TABLE enums ADD COLUMN e300 ENUM(', @members300, ') AFTER e3, ',
                  'ADD COLUMN s25 SET(', @members25, '), ADD COLUMN s64 SET(', @members64, ')');
PREPARE stmt FROM @ddl;
EXECUTE stmt;
DEALLOCATE PREPARE stmt;
INSERT INTO enums (id, e3, e300, s8, s12, s18, s25, s64) VALUES
  (1, 'a', 'e1', 's1', 'a', 'm01', 'q1', 'w1'),
  (2, 'c', 'e300', 's1,s2,s3,s4,s5,s6,s7,s8', 'a,b,c,d,e,f,g,h,i,j,k,l',
   'm01,m02,m03,m04,m05,m06,m07,m08,m09,m10,m11,m12,m13,m14,m15,m16,m17,m18', 'q25', 'w64'),
  (3, 'b', 'e256', '', '', '', '', ''),
  (4, 'b', 'e255', 's8', 'l', 'm09,m17', 'q1,q9,q17,q25', 'w1,w8,w9,w33,w63,w64'),
  (5, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
-- ENUM index 0 (the "invalid value" of a non-strict insert).
SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION';
INSERT INTO enums (id, e3, e300) VALUES (6, 'not-a-member', 'nope');
SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION';
UPDATE enums SET s18 = 'm18', e300 = 'e299' WHERE id IN (1, 3, 6);

-- ---------------------------------------------------------------------------
-- Spatial types: SRID + WKB.
CREATE TABLE geo (
  id INT NOT NULL PRIMARY KEY,
  g GEOMETRY, p POINT, pg POLYGON, ls LINESTRING, mp MULTIPOINT, gc GEOMETRYCOLLECTION
) ENGINE=InnoDB;
INSERT INTO geo VALUES
  (1, ST_GeomFromText('POINT(1 2)'), ST_GeomFromText('POINT(-1.5 2.25)', 4326),
   ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,4 2,4 4,2 2))'),
   ST_GeomFromText('LINESTRING(0 0,1 1,2 4)'), ST_GeomFromText('MULTIPOINT(0 0,5 5)'),
   ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1),LINESTRING(0 0,3 3))')),
  (2, ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))', 3857), NULL, NULL, NULL, NULL, NULL);

-- ---------------------------------------------------------------------------
-- MariaDB-only data types (plugins): INET6, INET4, UUID.
CREATE TABLE mtypes (
  id INT NOT NULL PRIMARY KEY,
  ip6 INET6, ip4 INET4, u UUID
) ENGINE=InnoDB;
INSERT INTO mtypes VALUES
  (1, '::1', '127.0.0.1', '123e4567-e89b-12d3-a456-426655440000'),
  (2, '2001:db8::ff00:42:8329', '255.255.255.255', 'ffffffff-ffff-ffff-ffff-ffffffffffff'),
  (3, '::ffff:192.0.2.128', '0.0.0.0', '00000000-0000-0000-0000-000000000000'),
  (4, NULL, NULL, NULL);

-- ---------------------------------------------------------------------------
-- Generated (stored and virtual) and invisible columns.
CREATE TABLE gen (
  id INT NOT NULL PRIMARY KEY,
  a INT,
  a2 INT AS (a * 2) STORED,
  a3 INT AS (a * 3) VIRTUAL,
  hidden_ INT INVISIBLE DEFAULT 7
) ENGINE=InnoDB;
INSERT INTO gen (id, a) VALUES (1, 10), (2, 20), (3, NULL);
UPDATE gen SET a = a + 1, hidden_ = 8;

-- ---------------------------------------------------------------------------
-- A table without a primary key (MINIMAL images then log every column),
-- with duplicate rows.
CREATE TABLE nopk (a INT, b VARCHAR(10)) ENGINE=InnoDB;
INSERT INTO nopk VALUES (1, 'x'), (1, 'x'), (2, NULL), (NULL, NULL);
UPDATE nopk SET b = 'y' WHERE a = 1;
DELETE FROM nopk WHERE a IS NULL;

-- ---------------------------------------------------------------------------
-- Identifiers with '-', spaces, backticks and non-ASCII characters.
CREATE TABLE `we-ird tab``le ✓` (
  `id-1` INT NOT NULL PRIMARY KEY,
  `col 2` VARCHAR(10),
  `col``3` INT,
  `ünïcødé_列` INT
) ENGINE=InnoDB;
INSERT INTO `we-ird tab``le ✓` VALUES (1, 'a', 3, 4), (2, 'b', NULL, 5);
UPDATE `we-ird tab``le ✓` SET `ünïcødé_列` = 9 WHERE `id-1` = 2;

-- ---------------------------------------------------------------------------
-- A table with more than 250 columns: the column count and the metadata
-- length become 3-byte packed integers, the NULL bitmap 32 bytes.
SET @cols = (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 251)
             SELECT GROUP_CONCAT(CONCAT('c', i, ' SMALLINT') ORDER BY i) FROM n);
SET @ddl = CONCAT('CREATE TABLE wide (id INT NOT NULL PRIMARY KEY, ', @cols, ') ENGINE=InnoDB');
PREPARE stmt FROM @ddl;
EXECUTE stmt;
DEALLOCATE PREPARE stmt;
INSERT INTO wide (id, c1, c130, c251) VALUES (1, -1, NULL, 251);

-- ---------------------------------------------------------------------------
-- Schema changes mid-stream: rows before and after each must be decoded with
-- the schema in force at their position.
CREATE TABLE evolve (id INT NOT NULL PRIMARY KEY, a VARCHAR(10), b INT) ENGINE=InnoDB;
INSERT INTO evolve VALUES (1, 'one', 10), (2, 'two', 20);
ALTER TABLE evolve ADD COLUMN c DATETIME(3) AFTER id;
INSERT INTO evolve VALUES (3, '2020-01-01 00:00:00.123', 'three', 30);
UPDATE evolve SET c = '2021-01-01 00:00:00' WHERE id <= 2;
ALTER TABLE evolve DROP COLUMN a;
INSERT INTO evolve VALUES (4, NULL, 40);
ALTER TABLE evolve ADD COLUMN z TINYINT FIRST, MODIFY b BIGINT UNSIGNED;
INSERT INTO evolve VALUES (-1, 5, NULL, 18446744073709551615);
RENAME TABLE evolve TO evolved;
UPDATE evolved SET z = 1;
DELETE FROM evolved WHERE id = 1;

-- ---------------------------------------------------------------------------
-- Transactions: explicit, rolled back (InnoDB: nothing logged), a savepoint,
-- a rollback that touched a non-transactional table (logged with ROLLBACK),
-- and a non-transactional table on its own.
CREATE TABLE tx (id INT NOT NULL PRIMARY KEY, v VARCHAR(40)) ENGINE=InnoDB;
CREATE TABLE ntx (id INT NOT NULL PRIMARY KEY, v VARCHAR(40)) ENGINE=MyISAM;
START TRANSACTION;
INSERT INTO tx VALUES (1, 'committed');
INSERT INTO tx VALUES (2, 'committed too');
UPDATE ints SET i = 42 WHERE id = 3;
COMMIT;
START TRANSACTION;
INSERT INTO tx VALUES (3, 'rolled back');
DELETE FROM tx WHERE id = 1;
ROLLBACK;
START TRANSACTION;
INSERT INTO tx VALUES (4, 'before savepoint');
SAVEPOINT sp1;
INSERT INTO tx VALUES (5, 'undone by savepoint');
ROLLBACK TO SAVEPOINT sp1;
INSERT INTO tx VALUES (6, 'after savepoint');
RELEASE SAVEPOINT sp1;
COMMIT;
INSERT INTO ntx VALUES (1, 'myisam'), (2, 'myisam');
START TRANSACTION;
INSERT INTO tx VALUES (7, 'mixed, rolled back');
INSERT INTO ntx VALUES (3, 'stays: non-transactional');
ROLLBACK;
-- XA: prepared then committed, and one-phase.
XA START 'binlogkit-xa1';
INSERT INTO tx VALUES (8, 'xa two-phase');
XA END 'binlogkit-xa1';
XA PREPARE 'binlogkit-xa1';
XA COMMIT 'binlogkit-xa1';
XA START 'binlogkit-xa2';
INSERT INTO tx VALUES (9, 'xa one-phase');
XA END 'binlogkit-xa2';
XA COMMIT 'binlogkit-xa2' ONE PHASE;
XA START 'binlogkit-xa3';
INSERT INTO tx VALUES (10, 'xa rolled back');
XA END 'binlogkit-xa3';
XA PREPARE 'binlogkit-xa3';
XA ROLLBACK 'binlogkit-xa3';

-- ---------------------------------------------------------------------------
-- User variables, INSERT ... SELECT, CREATE ... SELECT, a statement whose
-- rows span several rows events (more than binlog_row_event_max_size = 8 KiB).
SET @base = 1000, @label = 'copied';
INSERT INTO tx SELECT id + @base, CONCAT(@label, ' ', v) FROM tx WHERE id < 7;
CREATE TABLE tx_copy ENGINE=InnoDB AS SELECT id, v FROM tx WHERE id > @base;
CREATE TABLE many (id INT NOT NULL PRIMARY KEY, v VARCHAR(250)) ENGINE=InnoDB;
INSERT INTO many SELECT seq, REPEAT(CHAR(65 + seq % 26), 180 + seq % 20) FROM mysql.seq_1_to_50;
UPDATE many SET v = LEFT(v, 10) WHERE id % 20 = 0;
DELETE FROM many WHERE id > 47;
TRUNCATE TABLE tx_copy;

-- A sequence: its row changes are logged as rows events too.
CREATE SEQUENCE seq1 START WITH 100 INCREMENT BY 5;
SELECT NEXTVAL(seq1);
SELECT SETVAL(seq1, 1000);

-- Rotate the binary log once mid-workload.
FLUSH BINARY LOGS;

-- ---------------------------------------------------------------------------
-- A second database, with a unicode name; statements from another default
-- database; DROP of a table.
CREATE DATABASE `second-db ✓` CHARACTER SET latin1;
USE `second-db ✓`;
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, name VARCHAR(20)) ENGINE=InnoDB;
INSERT INTO t VALUES (1, 'zwei'), (2, 'Grüße');
INSERT INTO binlogkit.tx VALUES (20, 'from second-db');
UPDATE t, binlogkit.tx SET t.name = 'multi', binlogkit.tx.v = 'multi-table update'
  WHERE t.id = 1 AND binlogkit.tx.id = 20;
CREATE TABLE dropme (id INT) ENGINE=InnoDB;
DROP TABLE dropme;
USE binlogkit;

-- ---------------------------------------------------------------------------
-- Statement text in gbk bytes: a DDL comment and an INSERT sent over a gbk
-- connection, so QUERY and ANNOTATE_ROWS events carry non-UTF-8 bytes.
SET @gbk_ddl = 'CREATE TABLE gbk_text (id INT PRIMARY KEY, v VARCHAR(20) CHARACTER SET gbk) COMMENT ''中文注释'' ENGINE=InnoDB';
SET @gbk_ins = 'INSERT INTO gbk_text VALUES (1, ''汉字'') /* 注释 */';
SET NAMES gbk;
PREPARE stmt FROM @gbk_ddl;
EXECUTE stmt;
PREPARE stmt FROM @gbk_ins;
EXECUTE stmt;
DEALLOCATE PREPARE stmt;
SET NAMES utf8mb4;

-- ---------------------------------------------------------------------------
-- Compressed events (MariaDB log_bin_compress): QUERY_COMPRESSED and
-- *_ROWS_COMPRESSED_V1 events for statements longer than 10 bytes.
SET GLOBAL log_bin_compress_min_len = 10;
SET GLOBAL log_bin_compress = ON;
CREATE TABLE compressed (id INT NOT NULL PRIMARY KEY, v VARCHAR(200)) ENGINE=InnoDB;
INSERT INTO compressed VALUES (1, REPEAT('compress me ', 15)), (2, 'short');
UPDATE compressed SET v = CONCAT(v, '!') WHERE id IN (1, 2);
DELETE FROM compressed WHERE id = 2;
SET GLOBAL log_bin_compress = OFF;

-- @restart
-- After a server restart: a new binlog file; table ids start again from low
-- numbers, so the same id may name another table than before.
SET NAMES utf8mb4;
SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION';
SET SESSION time_zone = '+00:00';
USE binlogkit;
INSERT INTO nopk VALUES (3, 'restart');
INSERT INTO ints (id, i) VALUES (100, 100);
UPDATE tx SET v = 'after restart' WHERE id = 2;
DELETE FROM geo WHERE id = 2;
