-- The project's workload (workload.sql) ported to MySQL 9.7 with
-- gtid_mode=ON: the MySQL round-trip, flashback and dump suites run it on a
-- private server (internal/mysqltest). It must stay runnable with
-- `mysql --binary-mode < workload-mysql.sql`.
--
-- It has two parts. The first (up to the line "-- @mutations") creates
-- every table, changes its rows and its schema (DDL mid-stream); the second
-- only changes rows (no DDL), so that its rollback restores the tables as
-- the first part left them. Every value is written out: running the file
-- twice on two servers gives the same tables.
--
-- What differs from workload.sql: no sequences, no INET4/INET6/UUID types
-- and no seq_1_to_N tables (recursive CTEs make rows); VECTOR, functional
-- indexes, INVISIBLE columns and SRID-restricted GEOMETRY columns; no
-- transaction that mixes MyISAM and InnoDB tables (enforce_gtid_consistency
-- refuses it); compressed transactions are MySQL's
-- binlog_transaction_compression (TRANSACTION_PAYLOAD events), not
-- MariaDB's compressed events.

SET NAMES utf8mb4;
-- Strict mode, but zero dates and zero-in-date allowed (no NO_ZERO_DATE,
-- no NO_ZERO_IN_DATE): '0000-00-00' and '2013-00-00' are stored as is.
SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION';
SET SESSION time_zone = '+00:00';
SET SESSION group_concat_max_len = 1048576;
SET SESSION cte_max_recursion_depth = 10000;

CREATE DATABASE binlogkit CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci;
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
UPDATE ints SET ti = ti DIV 2, biu = 3230202323 WHERE id IN (1, 2, 3);
DELETE FROM ints WHERE id = 4;

-- ---------------------------------------------------------------------------
-- Floating point and fixed point.
CREATE TABLE nums (
  id INT NOT NULL PRIMARY KEY,
  f FLOAT, d DOUBLE, f73 FLOAT(7,3), d102 DOUBLE(10,2),
  dec65 DECIMAL(65,30), dec14 DECIMAL(14,4), dec21 DECIMAL(2,1),
  dec10 DECIMAL(10,0), dec134 DECIMAL(13,4), decu DECIMAL(5,2) UNSIGNED,
  dec650 DECIMAL(65,0)
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
-- Strings: long CHAR, VARCHAR with 1- and 2-byte lengths, BINARY with
-- trailing zero bytes, VARBINARY, utf8mb4 4-byte characters, latin1, gbk,
-- ucs2, utf16 and binary columns; quotes, backslashes and control bytes.
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
  (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (5, 'it''s', '\\', 'q"uo''te', 'back\\slash \'quote\' "dq" tab\there nl\nhere', '\\\\''',
   x'5c27225c00000000000000000000005c', x'27', x'5c5c', 'l''at\\', 'g''b\\', 'u''c', 'u\\', 'm''b3\\');
UPDATE strs SET vc300 = CONCAT(LEFT(vc300, 299), '✓'), bin16 = x'ff' WHERE id IN (1, 2, 3);

-- ---------------------------------------------------------------------------
-- BLOB and TEXT of every size class, and JSON (MySQL's binary JSON).
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

-- JSON of every kind, and documents that partial updates change in place.
CREATE TABLE docs (
  id INT NOT NULL PRIMARY KEY,
  j JSON,
  j2 JSON,
  note VARCHAR(20)
) ENGINE=InnoDB;
INSERT INTO docs VALUES
  (1, '{"name": "it''s \\"quoted\\"", "n": 1, "arr": [1, 2, 3], "o": {"x": "y"}, "f": 2.5e-7, "u": 18446744073709551615}',
      '[true, false, null, "s", -1, 1.5]', 'one'),
  (2, '{"big": "x"}', NULL, 'two'),
  (3, '[]', '{}', 'three'),
  (4, '"just a string"', '12345', 'four'),
  (5, NULL, NULL, NULL),
  (6, CAST(CAST('2012-03-18' AS DATE) AS JSON), CAST(CAST('87:31:46.654321' AS TIME) AS JSON), 'opaque'),
  (7, JSON_OBJECT('dt', CAST('2012-03-18 11:30:45' AS DATETIME(6)), 'dec', CAST(9.00 AS DECIMAL(5,2))), JSON_ARRAY(CAST(123.456 AS DECIMAL(9,3))), 'opaque2');
UPDATE docs SET j = JSON_OBJECT('big', REPEAT('x', 70000), 'k', 1) WHERE id = 2;
UPDATE docs SET j = JSON_SET(j, '$.n', 2, '$.new', 'added'), j2 = JSON_REPLACE(j2, '$[3]', 'S') WHERE id = 1;

-- ---------------------------------------------------------------------------
-- ENUM with 1 and 2 bytes, SET with 1, 2, 3, 4 and 8 bytes.
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
-- Spatial types: SRID + WKB, one column restricted to an SRID.
CREATE TABLE geo (
  id INT NOT NULL PRIMARY KEY,
  g GEOMETRY, p POINT SRID 4326, pg POLYGON, ls LINESTRING, mp MULTIPOINT, gc GEOMETRYCOLLECTION
) ENGINE=InnoDB;
INSERT INTO geo VALUES
  (1, ST_GeomFromText('POINT(1 2)'), ST_GeomFromText('POINT(-1.5 2.25)', 4326),
   ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,4 2,4 4,2 2))'),
   ST_GeomFromText('LINESTRING(0 0,1 1,2 4)'), ST_GeomFromText('MULTIPOINT(0 0,5 5)'),
   ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1),LINESTRING(0 0,3 3))')),
  (2, ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))', 3857), NULL, NULL, NULL, NULL, NULL);

-- ---------------------------------------------------------------------------
-- VECTOR (MySQL 9.0+): float32 values, dimensionality in the metadata.
CREATE TABLE vecs (
  id INT NOT NULL PRIMARY KEY,
  v3 VECTOR(3),
  v1 VECTOR(1),
  v16 VECTOR(16)
) ENGINE=InnoDB;
INSERT INTO vecs VALUES
  (1, STRING_TO_VECTOR('[1.5, -2.25, 3]'), STRING_TO_VECTOR('[0]'),
   STRING_TO_VECTOR('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]')),
  (2, STRING_TO_VECTOR('[3.40282e38, -1.17549435e-38, 0.1]'), STRING_TO_VECTOR('[-0]'), NULL),
  (3, NULL, NULL, NULL);
UPDATE vecs SET v1 = STRING_TO_VECTOR('[42.125]') WHERE id = 2;

-- ---------------------------------------------------------------------------
-- Generated (stored and virtual) columns, an INVISIBLE column and
-- functional indexes (whose hidden columns MySQL 9.7 keeps out of the
-- Table_map); a multi-valued index over a JSON array in a table of its own
-- (CHECKSUM TABLE of such a table changes from one call to the next: the
-- suites compare its rows instead).
CREATE TABLE gen (
  id INT NOT NULL PRIMARY KEY,
  a INT,
  s VARCHAR(20),
  a2 INT AS (a * 2) STORED,
  a3 INT AS (a * 3) VIRTUAL,
  hidden_ INT INVISIBLE DEFAULT 7,
  tags JSON,
  us VARCHAR(20) AS (UPPER(s)) VIRTUAL,
  KEY k_sum ((a + id)),
  KEY k_lower ((LOWER(s)))
) ENGINE=InnoDB;
INSERT INTO gen (id, a, s, tags) VALUES (1, 10, 'x', '[1, 2]'), (2, 20, 'Yz', '[]'), (3, NULL, NULL, NULL);
UPDATE gen SET a = a + 1, hidden_ = 8, tags = JSON_ARRAY(id);
ALTER TABLE gen ADD COLUMN after_fi INT DEFAULT 5, ADD INDEX k_after ((after_fi * 2));
INSERT INTO gen (id, a, s, after_fi) VALUES (4, 40, 'four', 44);
CREATE TABLE mvi (id INT NOT NULL PRIMARY KEY, tags JSON, KEY k_tags ((CAST(tags->'$' AS UNSIGNED ARRAY)))) ENGINE=InnoDB;
INSERT INTO mvi VALUES (1, '[1, 2]'), (2, '[]'), (3, NULL);
UPDATE mvi SET tags = JSON_ARRAY_APPEND(tags, '$', 3) WHERE id = 1;

-- ---------------------------------------------------------------------------
-- Tables without a primary key (MINIMAL images then log every column),
-- with duplicate rows; a composite key.
CREATE TABLE nopk (a INT, b VARCHAR(10)) ENGINE=InnoDB;
INSERT INTO nopk VALUES (1, 'x'), (1, 'x'), (2, NULL), (NULL, NULL);
UPDATE nopk SET b = 'y' WHERE a = 1;
DELETE FROM nopk WHERE a IS NULL;
CREATE TABLE composite (
  k1 INT NOT NULL, k2 VARCHAR(10) NOT NULL, k3 DATE NOT NULL, v INT, u INT,
  PRIMARY KEY (k2, k3, k1), UNIQUE KEY (u)
) ENGINE=InnoDB;
INSERT INTO composite VALUES (1, 'a', '2020-01-01', 1, 1), (1, 'b', '2020-01-01', 2, 2), (2, 'a', '2020-01-02', 3, NULL);
UPDATE composite SET v = v + 10, k1 = k1 + 100 WHERE k2 = 'a';

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
-- A table with more than 250 columns.
SET @cols = (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 251)
             SELECT GROUP_CONCAT(CONCAT('c', i, ' SMALLINT') ORDER BY i) FROM n);
SET @ddl = CONCAT('CREATE TABLE wide (id INT NOT NULL PRIMARY KEY, ', @cols, ') ENGINE=InnoDB');
PREPARE stmt FROM @ddl;
EXECUTE stmt;
DEALLOCATE PREPARE stmt;
INSERT INTO wide (id, c1, c130, c251) VALUES (1, -1, NULL, 251);

-- ---------------------------------------------------------------------------
-- Schema changes mid-stream.
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
-- Transactions: explicit, rolled back (nothing logged), a savepoint, a
-- non-transactional table on its own, XA.
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
XA START 'binlogkit-xa1';
INSERT INTO tx VALUES (8, 'xa two-phase');
XA END 'binlogkit-xa1';
XA PREPARE 'binlogkit-xa1';
XA COMMIT 'binlogkit-xa1';
XA START 'binlogkit-xa2';
INSERT INTO tx VALUES (9, 'xa one-phase');
XA END 'binlogkit-xa2';
XA COMMIT 'binlogkit-xa2' ONE PHASE;

-- ---------------------------------------------------------------------------
-- User variables, INSERT ... SELECT, CREATE ... SELECT (atomic with GTIDs
-- since 8.0.21), a statement whose rows span several rows events.
SET @base = 1000, @label = 'copied';
INSERT INTO tx SELECT id + @base, CONCAT(@label, ' ', v) FROM tx WHERE id < 7;
CREATE TABLE tx_copy ENGINE=InnoDB AS SELECT id, v FROM tx WHERE id > @base;
CREATE TABLE many (id INT NOT NULL PRIMARY KEY, v VARCHAR(250)) ENGINE=InnoDB;
INSERT INTO many
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
  SELECT i, REPEAT(CHAR(65 + i % 26), 180 + i % 20) FROM n;
UPDATE many SET v = LEFT(v, 10) WHERE id % 20 = 0;
DELETE FROM many WHERE id > 297;
TRUNCATE TABLE tx_copy;

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
-- Statement text in gbk bytes.
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
-- Compressed transactions (binlog_transaction_compression: one
-- TRANSACTION_PAYLOAD event, zstd, holds each transaction's events).
SET SESSION binlog_transaction_compression = ON;
CREATE TABLE compressed (id INT NOT NULL PRIMARY KEY, v VARCHAR(200), j JSON) ENGINE=InnoDB;
INSERT INTO compressed VALUES (1, REPEAT('compress me ', 15), '{"a": 1}'), (2, 'short', NULL);
UPDATE compressed SET v = CONCAT(v, '!') WHERE id IN (1, 2);
DELETE FROM compressed WHERE id = 2;
SET SESSION binlog_transaction_compression = OFF;

-- @mutations
-- Row changes only: every table's rows are inserted, updated (every column
-- kind, keys included) and deleted; JSON changed in place (JSON_SET,
-- JSON_REPLACE, JSON_REMOVE: partial updates under PARTIAL_JSON) and
-- whole. The rollback of this part gives back the tables as the part above
-- left them.
SET NAMES utf8mb4;
SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION';
SET SESSION time_zone = '+00:00';
USE binlogkit;
UPDATE ints SET ti = -ti, tiu = 255 - tiu, si = si DIV 3, siu = siu DIV 3, mi = -mi DIV 2, miu = miu DIV 2,
  i = -i DIV 2, iu = iu DIV 5, bi = bi DIV 7, biu = biu DIV 7, bool_ = NOT bool_;
INSERT INTO ints VALUES (6, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1), (7, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
DELETE FROM ints WHERE id = 1;
UPDATE ints SET id = id + 100 WHERE id = 2;
UPDATE nums SET f = f / 2, d = -d, f73 = f73 + 1, d102 = NULL, dec65 = -dec65, dec14 = 0.0001, dec21 = 0.9,
  dec10 = dec10 + 1, dec134 = dec134 * 2, decu = 1.01, dec650 = -dec650;
DELETE FROM nums WHERE id = 4;
INSERT INTO nums (id, dec65, f) VALUES (6, 0.123456789012345678901234567890, 0.1);
UPDATE bits SET b1 = b'0', b3 = b'010', b6 = b'011111', b12 = b'010101010101', b16 = 0x7FFF, b64 = 0x7FFFFFFFFFFFFFFF WHERE id = 1;
UPDATE bits SET b64 = 0xFFFFFFFFFFFFFFFE, b1 = NULL WHERE id = 3;
DELETE FROM bits WHERE id = 2;
INSERT INTO bits VALUES (5, b'1', b'111', b'000001', b'100000000001', 0x8000, 0x8000000000000000);
UPDATE temporal SET d = '0000-00-00', t0 = '-838:59:59', t6 = '838:59:59.000000', dt0 = '0000-00-00 00:00:00',
  dt6 = '2013-00-00 00:00:00.000001', ts0 = '1970-01-01 00:00:01', ts6 = NULL, y = 1901 WHERE id = 2;
UPDATE temporal SET dt3 = '9999-12-31 23:59:59.999', t3 = '-00:00:00.001', ts3 = '2038-01-19 03:14:07.999', d = '1989-00-21' WHERE id IN (3, 4);
DELETE FROM temporal WHERE id IN (1, 6);
INSERT INTO temporal (id, d, t6, dt6, ts6, y) VALUES (8, '2013-00-00', '-838:59:58.999999', '0000-03-21 00:00:00.000001', '2001-09-09 01:46:40.000001', 0);
UPDATE strs SET c255 = 'it''s', c2 = '\\', vc300 = CONCAT(LEFT(vc300, 280), ' \'x\' \\ "y"'), lat = 'l''ä', gb = '汉\\字', uc = 'u''\\', u16 = '\'\\', u8mb3 = 'x''y',
  vb20 = x'5c275c00', bin16 = x'27' WHERE id IN (1, 5);
DELETE FROM strs WHERE id = 3;
INSERT INTO strs (id, c255, vc300, vb1000) VALUES (6, 'new \\ \' row', REPEAT('\\', 300), REPEAT(x'5c27', 500));
UPDATE strs SET vc10l = NULL, c10l = 'z' WHERE id = 2;
UPDATE lobs SET tb = x'00', b = REPEAT(x'5c27', 1000), mb = REPEAT('m\\', 40000), lb = NULL, t = 'it''s', lt = REPEAT('\\🐬', 100) WHERE id = 1;
UPDATE lobs SET j = JSON_SET(j, '$.a[1]', 'two', '$.added', JSON_OBJECT('k', 'v')), tt = NULL WHERE id = 1;
UPDATE lobs SET j = JSON_REMOVE(j, '$.ü'), mt = 'changed' WHERE id = 1;
DELETE FROM lobs WHERE id = 2;
INSERT INTO lobs (id, b, j) VALUES (4, x'00', '{"new": true}');
UPDATE docs SET j = JSON_SET(j, '$.n', 3, '$.o.x', 'z', '$.arr[1]', 20), j2 = JSON_REMOVE(j2, '$[0]') WHERE id = 1;
UPDATE docs SET j = JSON_REPLACE(j, '$.big', 'small') WHERE id = 2;
UPDATE docs SET j = JSON_ARRAY_APPEND(j, '$', 1), j2 = JSON_SET(j2, '$.k', 'v') WHERE id = 3;
UPDATE docs SET j = JSON_SET(j, '$', 'replaced'), j2 = NULL WHERE id = 4;
UPDATE docs SET j = '{"whole": "new"}', note = 'five' WHERE id = 5;
UPDATE docs SET note = 'not json' WHERE id = 6;
UPDATE docs SET j = JSON_INSERT(j, '$.ins', JSON_ARRAY(1, 2)), j2 = JSON_SET(j2, '$[0]', 1.5) WHERE id = 7;
UPDATE docs SET j = JSON_REMOVE(j, '$.arr', '$.o'), j2 = JSON_ARRAY_INSERT(j2, '$[1]', 'ins') WHERE id = 1;
DELETE FROM docs WHERE id = 3;
INSERT INTO docs VALUES (8, '{"x": "it''s \\\\ back"}', '[]', 'eight');
UPDATE enums SET e3 = 'c', e300 = 'e1', s8 = 's2,s8', s12 = 'l', s18 = 'm01,m18', s25 = 'q2', s64 = 'w64' WHERE id IN (1, 2);
UPDATE enums SET e3 = NULL, s64 = '' WHERE id = 4;
DELETE FROM enums WHERE id = 5;
INSERT INTO enums (id, e3, e300, s64) VALUES (7, 'a', 'e300', 'w1,w64');
UPDATE geo SET g = ST_GeomFromText('LINESTRING(1 1,2 2)'), p = ST_GeomFromText('POINT(10 20)', 4326), gc = NULL WHERE id = 1;
DELETE FROM geo WHERE id = 2;
INSERT INTO geo (id, g, p) VALUES (3, ST_GeomFromText('MULTIPOLYGON(((0 0,1 0,1 1,0 0)))'), ST_GeomFromText('POINT(0 0)', 4326));
UPDATE vecs SET v3 = STRING_TO_VECTOR('[-1, 0.5, 1e10]'), v16 = NULL WHERE id = 1;
UPDATE vecs SET v1 = STRING_TO_VECTOR('[7]'), v16 = STRING_TO_VECTOR('[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1]') WHERE id = 3;
DELETE FROM vecs WHERE id = 2;
INSERT INTO vecs VALUES (4, STRING_TO_VECTOR('[1, 2, 3]'), NULL, NULL);
UPDATE gen SET a = a * 10, s = CONCAT(s, '!'), hidden_ = 9, tags = JSON_ARRAY(7, 8) WHERE id IN (1, 2);
UPDATE gen SET after_fi = NULL WHERE id = 4;
DELETE FROM gen WHERE id = 3;
INSERT INTO gen (id, a, s, hidden_, tags) VALUES (5, 5, 'five', 55, '[5]');
UPDATE mvi SET tags = JSON_ARRAY(9, 8) WHERE id = 2;
DELETE FROM mvi WHERE id = 3;
INSERT INTO mvi VALUES (4, '[4]');
UPDATE nopk SET b = 'z' WHERE a = 1 LIMIT 1;
DELETE FROM nopk WHERE a = 2;
INSERT INTO nopk VALUES (1, 'x'), (NULL, 'n');
UPDATE composite SET k3 = '2021-01-01', u = 10 WHERE k2 = 'b';
DELETE FROM composite WHERE k1 = 101;
INSERT INTO composite VALUES (3, 'c', '2020-01-03', 4, 4);
UPDATE `we-ird tab``le ✓` SET `col 2` = 'it''s', `col``3` = 33 WHERE `id-1` = 1;
UPDATE wide SET c2 = 2, c250 = -250, c130 = 130 WHERE id = 1;
INSERT INTO wide (id, c251) VALUES (2, 1);
UPDATE evolved SET b = 0, c = '0000-00-00 00:00:00.000' WHERE id = 3;
DELETE FROM evolved WHERE id = 2;
START TRANSACTION;
UPDATE tx SET v = CONCAT(v, ' (changed)') WHERE id < 10;
DELETE FROM tx WHERE id > 1000;
INSERT INTO tx VALUES (30, 'in a transaction');
UPDATE many SET v = CONCAT('x', v) WHERE id % 3 = 0;
COMMIT;
INSERT INTO ntx VALUES (3, 'myisam, no transaction');
UPDATE ntx SET v = 'changed' WHERE id = 1;
XA START 'binlogkit-xa3';
DELETE FROM tx WHERE id = 8;
XA END 'binlogkit-xa3';
XA COMMIT 'binlogkit-xa3' ONE PHASE;
DELETE FROM many WHERE id BETWEEN 100 AND 250;
UPDATE `second-db ✓`.t SET name = 'Grüße!' WHERE id = 2;
INSERT INTO gbk_text VALUES (2, '字符');
FLUSH BINARY LOGS;
SET SESSION binlog_transaction_compression = ON;
INSERT INTO compressed VALUES (3, REPEAT('compressed again ', 10), '{"b": [1, 2]}');
UPDATE compressed SET v = 'changed', j = JSON_SET(j, '$.a', 2) WHERE id = 1;
UPDATE many SET v = REPEAT('y', 200) WHERE id < 50;
DELETE FROM compressed WHERE id = 3;
SET SESSION binlog_transaction_compression = OFF;
UPDATE many SET id = id + 1000 WHERE id > 290;
