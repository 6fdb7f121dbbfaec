-- The definition of hires.h (testdata/hires.sql) as `mariadb-dump --no-data`
-- prints a table of MariaDB's older temporal formats, before its ALTER.
CREATE DATABASE hires;
USE hires;
CREATE TABLE `h` (
  `id` int(11) NOT NULL,
  `t1` time(1) /* mariadb-5.3 */ DEFAULT NULL,
  `t2` time(2) /* mariadb-5.3 */ DEFAULT NULL,
  `t3` time(3) /* mariadb-5.3 */ DEFAULT NULL,
  `t4` time(4) /* mariadb-5.3 */ DEFAULT NULL,
  `t5` time(5) /* mariadb-5.3 */ DEFAULT NULL,
  `t6` time(6) /* mariadb-5.3 */ DEFAULT NULL,
  `d1` datetime(1) /* mariadb-5.3 */ DEFAULT NULL,
  `d2` datetime(2) /* mariadb-5.3 */ DEFAULT NULL,
  `d3` datetime(3) /* mariadb-5.3 */ DEFAULT NULL,
  `d4` datetime(4) /* mariadb-5.3 */ DEFAULT NULL,
  `d5` datetime(5) /* mariadb-5.3 */ DEFAULT NULL,
  `d6` datetime(6) /* mariadb-5.3 */ DEFAULT NULL,
  `s1` timestamp(1) /* mariadb-5.3 */ NULL DEFAULT NULL,
  `s2` timestamp(2) /* mariadb-5.3 */ NULL DEFAULT NULL,
  `s3` timestamp(3) /* mariadb-5.3 */ NULL DEFAULT NULL,
  `s4` timestamp(4) /* mariadb-5.3 */ NULL DEFAULT NULL,
  `s5` timestamp(5) /* mariadb-5.3 */ NULL DEFAULT NULL,
  `s6` timestamp(6) /* mariadb-5.3 */ NULL DEFAULT NULL,
  `t0` time /* mariadb-5.3 */ DEFAULT NULL,
  `d0` datetime /* mariadb-5.3 */ DEFAULT NULL,
  `s0` timestamp /* mariadb-5.3 */ NULL DEFAULT NULL,
  `note` varchar(20) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
