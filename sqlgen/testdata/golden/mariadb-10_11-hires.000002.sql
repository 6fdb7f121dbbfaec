SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
-- error: ../testdata/recorded/mariadb-10_11-hires.000002: position 1099: rowcodec: hires.h: column 2 (t1 TIME), column 3 (t2 TIME), column 4 (t3 TIME) and 18 more: fractional-seconds precision unknown: MariaDB logs TIME(n), DATETIME(n) and TIMESTAMP(n) of its older format (tables created before 10.1 or with mysql56_temporal_format=OFF) with the old type codes and without n, and these rows do not read as values without fractions (hires.h column 4 (t3, type 11): binlog: corrupt event: TIME 9:81:83 out of range); give the table's definition: its CREATE TABLE earlier in the stream (read the binlog from there), a schema file (--schema FILE), or the live server (--schema-dsn DSN)
