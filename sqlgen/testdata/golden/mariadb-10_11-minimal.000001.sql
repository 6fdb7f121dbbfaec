SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
CREATE DATABASE binlogkit CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci; # start 370 end 512 time 2026-11-21 14:44:10 gtid 0-1-1
USE `binlogkit`;
CREATE TABLE ints (
  id INT NOT NULL PRIMARY KEY,
  ti TINYINT, tiu TINYINT UNSIGNED,
  si SMALLINT, siu SMALLINT UNSIGNED,
  mi MEDIUMINT, miu MEDIUMINT UNSIGNED,
  i INT, iu INT UNSIGNED,
  bi BIGINT, biu BIGINT UNSIGNED,
  bool_ BOOLEAN
) ENGINE=InnoDB; # start 550 end 883 time 2026-11-21 14:44:10 gtid 0-1-2
BEGIN;
INSERT INTO `binlogkit`.`ints` (`id`,`ti`,`tiu`,`si`,`siu`,`mi`,`miu`,`i`,`iu`,`bi`,`biu`,`bool_`) VALUES (1,-128,0,-32768,0,-8388608,0,-2147483648,0,-9223372036854775808,0,0); # start 883 end 1683 time 2026-11-21 14:44:10 gtid 0-1-3
INSERT INTO `binlogkit`.`ints` (`id`,`ti`,`tiu`,`si`,`siu`,`mi`,`miu`,`i`,`iu`,`bi`,`biu`,`bool_`) VALUES (2,127,255,32767,65535,8388607,16777215,2147483647,4294967295,9223372036854775807,18446744073709551615,1); # start 883 end 1683 time 2026-11-21 14:44:10 gtid 0-1-3
INSERT INTO `binlogkit`.`ints` (`id`,`ti`,`tiu`,`si`,`siu`,`mi`,`miu`,`i`,`iu`,`bi`,`biu`,`bool_`) VALUES (3,0,1,0,1,0,1,0,1,0,1,0); # start 883 end 1683 time 2026-11-21 14:44:10 gtid 0-1-3
INSERT INTO `binlogkit`.`ints` (`id`,`ti`,`tiu`,`si`,`siu`,`mi`,`miu`,`i`,`iu`,`bi`,`biu`,`bool_`) VALUES (4,-1,128,-1,32768,-1,8388608,-1,2147483648,-1,9223372036854775808,-1); # start 883 end 1683 time 2026-11-21 14:44:10 gtid 0-1-3
INSERT INTO `binlogkit`.`ints` (`id`,`ti`,`tiu`,`si`,`siu`,`mi`,`miu`,`i`,`iu`,`bi`,`biu`,`bool_`) VALUES (5,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL); # start 883 end 1683 time 2026-11-21 14:44:10 gtid 0-1-3
COMMIT;
BEGIN;
UPDATE `binlogkit`.`ints` SET `ti`=-64, `biu`=3230202323 WHERE `id`=1; # start 1710 end 2024 time 2026-11-21 14:44:10 gtid 0-1-4
UPDATE `binlogkit`.`ints` SET `ti`=63, `biu`=3230202323 WHERE `id`=2; # start 1710 end 2024 time 2026-11-21 14:44:10 gtid 0-1-4
UPDATE `binlogkit`.`ints` SET `ti`=0, `biu`=3230202323 WHERE `id`=3; # start 1710 end 2024 time 2026-11-21 14:44:10 gtid 0-1-4
COMMIT;
BEGIN;
DELETE FROM `binlogkit`.`ints` WHERE `id`=4; # start 2051 end 2283 time 2026-11-21 14:44:10 gtid 0-1-5
COMMIT;
CREATE TABLE nums (
  id INT NOT NULL PRIMARY KEY,
  f FLOAT, d DOUBLE, f73 FLOAT(7,3), d102 DOUBLE(10,2),
  dec65 DECIMAL(65,30), dec14 DECIMAL(14,4), dec21 DECIMAL(2,1),
  dec10 DECIMAL(10,0), dec134 DECIMAL(13,4), decu DECIMAL(5,2) UNSIGNED,
  dec6530 DECIMAL(65,0)
) ENGINE=InnoDB; # start 2348 end 2709 time 2026-11-21 14:44:10 gtid 0-1-6
BEGIN;
INSERT INTO `binlogkit`.`nums` (`id`,`f`,`d`,`f73`,`d102`,`dec65`,`dec14`,`dec21`,`dec10`,`dec134`,`decu`,`dec6530`) VALUES (1,3.40282e+38,1.7976931348623157e+308,1234.567,1.23456789e+07,99999999999999999999999999999999999.999999999999999999999999999999,1234567890.1234,-0.5,0,0.3333,999.99,99999999999999999999999999999999999999999999999999999999999999999); # start 2709 end 4190 time 2026-11-21 14:44:10 gtid 0-1-7
INSERT INTO `binlogkit`.`nums` (`id`,`f`,`d`,`f73`,`d102`,`dec65`,`dec14`,`dec21`,`dec10`,`dec134`,`decu`,`dec6530`) VALUES (2,-3.40282e+38,-1.7976931348623157e+308,-1234.567,-1.23456789e+07,-99999999999999999999999999999999999.999999999999999999999999999999,-1234567890.1234,0.5,-1234567890,-0.3333,0.01,-99999999999999999999999999999999999999999999999999999999999999999); # start 2709 end 4190 time 2026-11-21 14:44:10 gtid 0-1-7
INSERT INTO `binlogkit`.`nums` (`id`,`f`,`d`,`f73`,`d102`,`dec65`,`dec14`,`dec21`,`dec10`,`dec134`,`decu`,`dec6530`) VALUES (3,1.17549e-38,2.2250738585072014e-308,0.001,0.01,0.000000000000000000000000000001,0.0001,0.1,1,0.0000,0.00,0); # start 2709 end 4190 time 2026-11-21 14:44:10 gtid 0-1-7
INSERT INTO `binlogkit`.`nums` (`id`,`f`,`d`,`f73`,`d102`,`dec65`,`dec14`,`dec21`,`dec10`,`dec134`,`decu`,`dec6530`) VALUES (4,0,0,0,0,0.000000000000000000000000000000,0.0000,0.0,0,1.5000,1.00,1); # start 2709 end 4190 time 2026-11-21 14:44:10 gtid 0-1-7
INSERT INTO `binlogkit`.`nums` (`id`,`f`,`d`,`f73`,`d102`,`dec65`,`dec14`,`dec21`,`dec10`,`dec134`,`decu`,`dec6530`) VALUES (5,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL); # start 2709 end 4190 time 2026-11-21 14:44:10 gtid 0-1-7
COMMIT;
BEGIN;
UPDATE `binlogkit`.`nums` SET `dec14`=-1234567890.1234, `dec21`=-0.5 WHERE `id`=1; # start 4217 end 4568 time 2026-11-21 14:44:10 gtid 0-1-8
UPDATE `binlogkit`.`nums` SET `dec14`=1234567890.1234, `dec21`=-0.5 WHERE `id`=2; # start 4217 end 4568 time 2026-11-21 14:44:10 gtid 0-1-8
UPDATE `binlogkit`.`nums` SET `dec14`=-0.0001, `dec21`=-0.5 WHERE `id`=3; # start 4217 end 4568 time 2026-11-21 14:44:10 gtid 0-1-8
COMMIT;
CREATE TABLE bits (
  id INT NOT NULL PRIMARY KEY,
  b1 BIT(1), b3 BIT(3), b6 BIT(6), b12 BIT(12), b16 BIT(16), b64 BIT(64)
) ENGINE=InnoDB; # start 4633 end 4849 time 2026-11-21 14:44:10 gtid 0-1-9
BEGIN;
INSERT INTO `binlogkit`.`bits` (`id`,`b1`,`b3`,`b6`,`b12`,`b16`,`b64`) VALUES (1,b'1',b'101',b'100001',b'101010101010',b'1000000000000001',b'1111111111111111111111111111111111111111111111111111111111111111'); # start 4849 end 5420 time 2026-11-21 14:44:10 gtid 0-1-10
INSERT INTO `binlogkit`.`bits` (`id`,`b1`,`b3`,`b6`,`b12`,`b16`,`b64`) VALUES (2,b'0',b'000',b'000000',b'000000000000',b'0000000000000000',b'0000000000000000000000000000000000000000000000000000000000000000'); # start 4849 end 5420 time 2026-11-21 14:44:10 gtid 0-1-10
INSERT INTO `binlogkit`.`bits` (`id`,`b1`,`b3`,`b6`,`b12`,`b16`,`b64`) VALUES (3,b'1',b'111',b'111111',b'111111111111',b'1111111111111111',b'1000000000000000000000000000000000000000000000000000000000000001'); # start 4849 end 5420 time 2026-11-21 14:44:10 gtid 0-1-10
INSERT INTO `binlogkit`.`bits` (`id`,`b1`,`b3`,`b6`,`b12`,`b16`,`b64`) VALUES (4,NULL,NULL,NULL,NULL,NULL,NULL); # start 4849 end 5420 time 2026-11-21 14:44:10 gtid 0-1-10
COMMIT;
CREATE TABLE temporal (
  id INT NOT NULL PRIMARY KEY,
  d DATE,
  t0 TIME(0), t1 TIME(1), t2 TIME(2), t3 TIME(3), t4 TIME(4), t5 TIME(5), t6 TIME(6),
  dt0 DATETIME(0), dt1 DATETIME(1), dt2 DATETIME(2), dt3 DATETIME(3),
  dt4 DATETIME(4), dt5 DATETIME(5), dt6 DATETIME(6),
  ts0 TIMESTAMP(0) NULL DEFAULT NULL, ts3 TIMESTAMP(3) NULL DEFAULT NULL,
  ts6 TIMESTAMP(6) NULL DEFAULT NULL,
  y YEAR
) ENGINE=InnoDB; # start 5485 end 5972 time 2026-11-21 14:44:10 gtid 0-1-11
BEGIN;
INSERT INTO `binlogkit`.`temporal` (`id`,`d`,`t0`,`t1`,`t2`,`t3`,`t4`,`t5`,`t6`,`dt0`,`dt1`,`dt2`,`dt3`,`dt4`,`dt5`,`dt6`,`ts0`,`ts3`,`ts6`,`y`) VALUES (1,'0000-00-00','-838:59:59','-838:59:58.9','-838:59:58.99','-838:59:58.999','-838:59:58.9999','-838:59:58.99999','-838:59:58.999999','0000-00-00 00:00:00','0000-00-00 00:00:00.0','0000-00-00 00:00:00.00','0000-00-00 00:00:00.000','0000-00-00 00:00:00.0000','0000-00-00 00:00:00.00000','0000-00-00 00:00:00.000000','0000-00-00 00:00:00','0000-00-00 00:00:00.000','0000-00-00 00:00:00.000000',0); # start 5972 end 8951 time 2026-11-21 14:44:10 gtid 0-1-12
INSERT INTO `binlogkit`.`temporal` (`id`,`d`,`t0`,`t1`,`t2`,`t3`,`t4`,`t5`,`t6`,`dt0`,`dt1`,`dt2`,`dt3`,`dt4`,`dt5`,`dt6`,`ts0`,`ts3`,`ts6`,`y`) VALUES (2,'9999-12-31','838:59:59','838:59:58.9','838:59:58.99','838:59:58.999','838:59:58.9999','838:59:58.99999','838:59:58.999999','9999-12-31 23:59:59','9999-12-31 23:59:59.9','9999-12-31 23:59:59.99','9999-12-31 23:59:59.999','9999-12-31 23:59:59.9999','9999-12-31 23:59:59.99999','9999-12-31 23:59:59.999999','2038-01-19 03:14:07','2038-01-19 03:14:07.999','2038-01-19 03:14:07.999999',2155); # start 5972 end 8951 time 2026-11-21 14:44:10 gtid 0-1-12
INSERT INTO `binlogkit`.`temporal` (`id`,`d`,`t0`,`t1`,`t2`,`t3`,`t4`,`t5`,`t6`,`dt0`,`dt1`,`dt2`,`dt3`,`dt4`,`dt5`,`dt6`,`ts0`,`ts3`,`ts6`,`y`) VALUES (3,'1000-01-01','-00:00:01','-00:00:00.1','-00:00:00.01','-00:00:00.001','-00:00:00.0001','-00:00:00.00001','-00:00:00.000001','1000-01-01 00:00:00','2012-03-18 11:30:45.7','2012-03-18 11:30:45.07','2012-03-18 11:30:45.700','2012-03-18 11:30:45.0007','2012-03-18 11:30:45.00007','2012-03-18 11:30:45.654321','1970-01-01 00:00:01','1970-01-01 00:00:01.500','1970-01-01 00:00:01.000001',1901); # start 5972 end 8951 time 2026-11-21 14:44:10 gtid 0-1-12
INSERT INTO `binlogkit`.`temporal` (`id`,`d`,`t0`,`t1`,`t2`,`t3`,`t4`,`t5`,`t6`,`dt0`,`dt1`,`dt2`,`dt3`,`dt4`,`dt5`,`dt6`,`ts0`,`ts3`,`ts6`,`y`) VALUES (4,'0000-03-21','-507:48:27','-16:08:04.1','-16:08:04.01','-16:08:04.001','-16:08:04.0101','-16:08:04.01012','-16:08:04.010123','1989-00-21 10:00:00','2013-00-00 00:00:00.5','0000-03-21 01:02:03.45','2013-00-00 12:34:56.700','1989-00-21 00:00:00.0001','2013-00-00 00:00:00.00001','0000-00-00 00:00:00.000001','2001-09-09 01:46:40','2001-09-09 01:46:40.123','2001-09-09 01:46:40.123456',2069); # start 5972 end 8951 time 2026-11-21 14:44:10 gtid 0-1-12
INSERT INTO `binlogkit`.`temporal` (`id`,`d`,`t0`,`t1`,`t2`,`t3`,`t4`,`t5`,`t6`,`dt0`,`dt1`,`dt2`,`dt3`,`dt4`,`dt5`,`dt6`,`ts0`,`ts3`,`ts6`,`y`) VALUES (5,'1989-00-21','24:00:00','100:08:04.5','87:31:46.65','87:31:46.654','00:00:00.0001','-00:00:01.50000','-01:00:00.000001','2024-02-29 23:59:59',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,1970); # start 5972 end 8951 time 2026-11-21 14:44:10 gtid 0-1-12
INSERT INTO `binlogkit`.`temporal` (`id`,`d`,`t0`,`t1`,`t2`,`t3`,`t4`,`t5`,`t6`,`dt0`,`dt1`,`dt2`,`dt3`,`dt4`,`dt5`,`dt6`,`ts0`,`ts3`,`ts6`,`y`) VALUES (6,'2013-00-00','100:08:04',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL); # start 5972 end 8951 time 2026-11-21 14:44:10 gtid 0-1-12
INSERT INTO `binlogkit`.`temporal` (`id`,`d`,`t0`,`t1`,`t2`,`t3`,`t4`,`t5`,`t6`,`dt0`,`dt1`,`dt2`,`dt3`,`dt4`,`dt5`,`dt6`,`ts0`,`ts3`,`ts6`,`y`) VALUES (7,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL); # start 5972 end 8951 time 2026-11-21 14:44:10 gtid 0-1-12
COMMIT;
BEGIN;
UPDATE `binlogkit`.`temporal` SET `t6`='-00:00:00.500000', `ts6`='2020-02-02 02:02:02.020202' WHERE `id`=5; # start 8978 end 9388 time 2026-11-21 14:44:10 gtid 0-1-13
UPDATE `binlogkit`.`temporal` SET `t6`='-00:00:00.500000', `ts6`='2020-02-02 02:02:02.020202' WHERE `id`=6; # start 8978 end 9388 time 2026-11-21 14:44:10 gtid 0-1-13
UPDATE `binlogkit`.`temporal` SET `t6`='-00:00:00.500000', `ts6`='2020-02-02 02:02:02.020202' WHERE `id`=7; # start 8978 end 9388 time 2026-11-21 14:44:10 gtid 0-1-13
COMMIT;
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
) ENGINE=InnoDB; # start 9453 end 10080 time 2026-11-21 14:44:10 gtid 0-1-14
BEGIN;
INSERT INTO `binlogkit`.`strs` (`id`,`c255`,`c2`,`c10l`,`vc300`,`vc10l`,`bin16`,`vb20`,`vb1000`,`lat`,`gb`,`uc`,`u16`,`u8mb3`) VALUES (1,'😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀','ab','abcdefghij','üüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüü','0123456789',X'0102030405060708090a0b0c00000000',X'00ff00ff',X'c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffee','café naïve Ærø ß','中文字符 汉语','ÅÄÖ ucs2','ü😀','utf8 ✓ mb3'); # start 10080 end 13735 time 2026-11-21 14:44:10 gtid 0-1-15
INSERT INTO `binlogkit`.`strs` (`id`,`c255`,`c2`,`c10l`,`vc300`,`vc10l`,`bin16`,`vb20`,`vb1000`,`lat`,`gb`,`uc`,`u16`,`u8mb3`) VALUES (2,'','','','','',X'00000000000000000000000000000000',X'',X'','','','','',''); # start 10080 end 13735 time 2026-11-21 14:44:10 gtid 0-1-15
INSERT INTO `binlogkit`.`strs` (`id`,`c255`,`c2`,`c10l`,`vc300`,`vc10l`,`bin16`,`vb20`,`vb1000`,`lat`,`gb`,`uc`,`u16`,`u8mb3`) VALUES (3,'trailing spaces','x','pad','varchar keeps spaces   ','a b ',X'20202020202020202020202020202020',X'2000',X'00','Ä','半角','x','y','z'); # start 10080 end 13735 time 2026-11-21 14:44:10 gtid 0-1-15
INSERT INTO `binlogkit`.`strs` (`id`,`c255`,`c2`,`c10l`,`vc300`,`vc10l`,`bin16`,`vb20`,`vb1000`,`lat`,`gb`,`uc`,`u16`,`u8mb3`) VALUES (4,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL); # start 10080 end 13735 time 2026-11-21 14:44:10 gtid 0-1-15
COMMIT;
BEGIN;
UPDATE `binlogkit`.`strs` SET `vc300`='üüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüü✓', `bin16`=X'ff000000000000000000000000000000' WHERE `id`=1; # start 13762 end 14780 time 2026-11-21 14:44:10 gtid 0-1-16
UPDATE `binlogkit`.`strs` SET `vc300`='✓', `bin16`=X'ff000000000000000000000000000000' WHERE `id`=2; # start 13762 end 14780 time 2026-11-21 14:44:10 gtid 0-1-16
UPDATE `binlogkit`.`strs` SET `vc300`='varchar keeps spaces   ✓', `bin16`=X'ff000000000000000000000000000000' WHERE `id`=3; # start 13762 end 14780 time 2026-11-21 14:44:10 gtid 0-1-16
COMMIT;
CREATE TABLE lobs (
  id INT NOT NULL PRIMARY KEY,
  tb TINYBLOB, b BLOB, mb MEDIUMBLOB, lb LONGBLOB,
  tt TINYTEXT, t TEXT, mt MEDIUMTEXT CHARACTER SET latin1, lt LONGTEXT,
  j JSON
) ENGINE=InnoDB; # start 14845 end 15120 time 2026-11-21 14:44:10 gtid 0-1-17
BEGIN;
INSERT INTO `binlogkit`.`lobs` (`id`,`tb`,`b`,`mb`,`lb`,`tt`,`t`,`mt`,`lt`,`j`) VALUES (1,X'ababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababab',X'00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff',X'6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d',X'0101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101','ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt','ßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßßß','éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé','🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬🐬','{"a": [1, 2.5, {"b": null}], "ü": "✓", "big": 18446744073709551615, "neg": -9223372036854775808, "t": true, "": ""}'); # start 15120 end 17946 time 2026-11-21 14:44:10 gtid 0-1-18
INSERT INTO `binlogkit`.`lobs` (`id`,`tb`,`b`,`mb`,`lb`,`tt`,`t`,`mt`,`lt`,`j`) VALUES (2,X'',X'',X'',X'','','','','','[]'); # start 15120 end 17946 time 2026-11-21 14:44:10 gtid 0-1-18
INSERT INTO `binlogkit`.`lobs` (`id`,`tb`,`b`,`mb`,`lb`,`tt`,`t`,`mt`,`lt`,`j`) VALUES (3,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL); # start 15120 end 17946 time 2026-11-21 14:44:10 gtid 0-1-18
COMMIT;
BEGIN;
UPDATE `binlogkit`.`lobs` SET `tt`='updated', `j`='{"a": [100, 2.5, {"b": null}], "ü": "✓", "big": 18446744073709551615, "neg": -9223372036854775808, "t": true, "": ""}' WHERE `id`=1; # start 17973 end 18414 time 2026-11-21 14:44:10 gtid 0-1-19
UPDATE `binlogkit`.`lobs` SET `tt`='updated', `j`='[]' WHERE `id`=2; # start 17973 end 18414 time 2026-11-21 14:44:10 gtid 0-1-19
COMMIT;
CREATE TABLE enums (
  id INT NOT NULL PRIMARY KEY,
  e3 ENUM('a', 'b', 'c'),
  s8 SET('s1','s2','s3','s4','s5','s6','s7','s8'),
  s12 SET('a','b','c','d','e','f','g','h','i','j','k','l'),
  s18 SET('m01','m02','m03','m04','m05','m06','m07','m08','m09','m10','m11','m12','m13','m14','m15','m16','m17','m18')
) ENGINE=InnoDB; # start 18479 end 18879 time 2026-11-21 14:44:10 gtid 0-1-20
ALTER TABLE enums ADD COLUMN e300 ENUM('e1','e2','e3','e4','e5','e6','e7','e8','e9','e10','e11','e12','e13','e14','e15','e16','e17','e18','e19','e20','e21','e22','e23','e24','e25','e26','e27','e28','e29','e30','e31','e32','e33','e34','e35','e36','e37','e38','e39','e40','e41','e42','e43','e44','e45','e46','e47','e48','e49','e50','e51','e52','e53','e54','e55','e56','e57','e58','e59','e60','e61','e62','e63','e64','e65','e66','e67','e68','e69','e70','e71','e72','e73','e74','e75','e76','e77','e78','e79','e80','e81','e82','e83','e84','e85','e86','e87','e88','e89','e90','e91','e92','e93','e94','e95','e96','e97','e98','e99','e100','e101','e102','e103','e104','e105','e106','e107','e108','e109','e110','e111','e112','e113','e114','e115','e116','e117','e118','e119','e120','e121','e122','e123','e124','e125','e126','e127','e128','e129','e130','e131','e132','e133','e134','e135','e136','e137','e138','e139','e140','e141','e142','e143','e144','e145','e146','e147','e148','e149','e150','e151','e152','e153','e154','e155','e156','e157','e158','e159','e160','e161','e162','e163','e164','e165','e166','e167','e168','e169','e170','e171','e172','e173','e174','e175','e176','e177','e178','e179','e180','e181','e182','e183','e184','e185','e186','e187','e188','e189','e190','e191','e192','e193','e194','e195','e196','e197','e198','e199','e200','e201','e202','e203','e204','e205','e206','e207','e208','e209','e210','e211','e212','e213','e214','e215','e216','e217','e218','e219','e220','e221','e222','e223','e224','e225','e226','e227','e228','e229','e230','e231','e232','e233','e234','e235','e236','e237','e238','e239','e240','e241','e242','e243','e244','e245','e246','e247','e248','e249','e250','e251','e252','e253','e254','e255','e256','e257','e258','e259','e260','e261','e262','e263','e264','e265','e266','e267','e268','e269','e270','e271','e272','e273','e274','e275','e276','e277','e278','e279','e280','e281','e282','e283','e284','e285','e286','e287','e288','e289','e290','e291','e292','e293','e294','e295','e296','e297','e298','e299','e300') AFTER e3, ADD COLUMN s25 SET('q1','q2','q3','q4','q5','q6','q7','q8','q9','q10','q11','q12','q13','q14','q15','q16','q17','q18','q19','q20','q21','q22','q23','q24','q25'), ADD COLUMN s64 SET('w1','w2','w3','w4','w5','w6','w7','w8','w9','w10','w11','w12','w13','w14','w15','w16','w17','w18','w19','w20','w21','w22','w23','w24','w25','w26','w27','w28','w29','w30','w31','w32','w33','w34','w35','w36','w37','w38','w39','w40','w41','w42','w43','w44','w45','w46','w47','w48','w49','w50','w51','w52','w53','w54','w55','w56','w57','w58','w59','w60','w61','w62','w63','w64'); # start 18917 end 21592 time 2026-11-21 14:44:10 gtid 0-1-21
BEGIN;
INSERT INTO `binlogkit`.`enums` (`id`,`e3`,`e300`,`s8`,`s12`,`s18`,`s25`,`s64`) VALUES (1,'a','e1','s1','a','m01','q1','w1'); # start 21592 end 24219 time 2026-11-21 14:44:10 gtid 0-1-22
INSERT INTO `binlogkit`.`enums` (`id`,`e3`,`e300`,`s8`,`s12`,`s18`,`s25`,`s64`) VALUES (2,'c','e300','s1,s2,s3,s4,s5,s6,s7,s8','a,b,c,d,e,f,g,h,i,j,k,l','m01,m02,m03,m04,m05,m06,m07,m08,m09,m10,m11,m12,m13,m14,m15,m16,m17,m18','q25','w64'); # start 21592 end 24219 time 2026-11-21 14:44:10 gtid 0-1-22
INSERT INTO `binlogkit`.`enums` (`id`,`e3`,`e300`,`s8`,`s12`,`s18`,`s25`,`s64`) VALUES (3,'b','e256','','','','',''); # start 21592 end 24219 time 2026-11-21 14:44:10 gtid 0-1-22
INSERT INTO `binlogkit`.`enums` (`id`,`e3`,`e300`,`s8`,`s12`,`s18`,`s25`,`s64`) VALUES (4,'b','e255','s8','l','m09,m17','q1,q9,q17,q25','w1,w8,w9,w33,w63,w64'); # start 21592 end 24219 time 2026-11-21 14:44:10 gtid 0-1-22
INSERT INTO `binlogkit`.`enums` (`id`,`e3`,`e300`,`s8`,`s12`,`s18`,`s25`,`s64`) VALUES (5,NULL,NULL,NULL,NULL,NULL,NULL,NULL); # start 21592 end 24219 time 2026-11-21 14:44:10 gtid 0-1-22
COMMIT;
BEGIN;
INSERT INTO `binlogkit`.`enums` (`id`,`e3`,`e300`) VALUES (6,0,0); # start 24246 end 26391 time 2026-11-21 14:44:10 gtid 0-1-23
COMMIT;
BEGIN;
UPDATE `binlogkit`.`enums` SET `e300`='e299', `s18`='m18' WHERE `id`=1; # start 26418 end 28587 time 2026-11-21 14:44:10 gtid 0-1-24
UPDATE `binlogkit`.`enums` SET `e300`='e299', `s18`='m18' WHERE `id`=3; # start 26418 end 28587 time 2026-11-21 14:44:10 gtid 0-1-24
UPDATE `binlogkit`.`enums` SET `e300`='e299', `s18`='m18' WHERE `id`=6; # start 26418 end 28587 time 2026-11-21 14:44:10 gtid 0-1-24
COMMIT;
CREATE TABLE geo (
  id INT NOT NULL PRIMARY KEY,
  g GEOMETRY, p POINT, pg POLYGON, ls LINESTRING, mp MULTIPOINT, gc GEOMETRYCOLLECTION
) ENGINE=InnoDB; # start 28652 end 28881 time 2026-11-21 14:44:10 gtid 0-1-25
BEGIN;
INSERT INTO `binlogkit`.`geo` (`id`,`g`,`p`,`pg`,`ls`,`mp`,`gc`) VALUES (1,ST_GeomFromWKB(X'0101000000000000000000f03f0000000000000040', 0),ST_GeomFromWKB(X'0101000000000000000000f8bf0000000000000240', 4326),ST_GeomFromWKB(X'0103000000020000000500000000000000000000000000000000000000000000000000244000000000000000000000000000002440000000000000244000000000000000000000000000002440000000000000000000000000000000000400000000000000000000400000000000000040000000000000104000000000000000400000000000001040000000000000104000000000000000400000000000000040', 0),ST_GeomFromWKB(X'01020000000300000000000000000000000000000000000000000000000000f03f000000000000f03f00000000000000400000000000001040', 0),ST_GeomFromWKB(X'010400000002000000010100000000000000000000000000000000000000010100000000000000000014400000000000001440', 0),ST_GeomFromWKB(X'0107000000020000000101000000000000000000f03f000000000000f03f0102000000020000000000000000000000000000000000000000000000000008400000000000000840', 0)); # start 28881 end 30018 time 2026-11-21 14:44:10 gtid 0-1-26
INSERT INTO `binlogkit`.`geo` (`id`,`g`,`p`,`pg`,`ls`,`mp`,`gc`) VALUES (2,ST_GeomFromWKB(X'0103000000010000000400000000000000000000000000000000000000000000000000f03f0000000000000000000000000000f03f000000000000f03f00000000000000000000000000000000', 3857),NULL,NULL,NULL,NULL,NULL); # start 28881 end 30018 time 2026-11-21 14:44:10 gtid 0-1-26
COMMIT;
CREATE TABLE mtypes (
  id INT NOT NULL PRIMARY KEY,
  ip6 INET6, ip4 INET4, u UUID
) ENGINE=InnoDB; # start 30083 end 30259 time 2026-11-21 14:44:10 gtid 0-1-27
BEGIN;
INSERT INTO `binlogkit`.`mtypes` (`id`,`ip6`,`ip4`,`u`) VALUES (1,X'00000000000000000000000000000001',X'7f000001',X'123e4567e89b12d3a456426655440000'); # start 30259 end 30831 time 2026-11-21 14:44:10 gtid 0-1-28
INSERT INTO `binlogkit`.`mtypes` (`id`,`ip6`,`ip4`,`u`) VALUES (2,X'20010db8000000000000ff0000428329',X'ffffffff',X'ffffffffffffffffffffffffffffffff'); # start 30259 end 30831 time 2026-11-21 14:44:10 gtid 0-1-28
INSERT INTO `binlogkit`.`mtypes` (`id`,`ip6`,`ip4`,`u`) VALUES (3,X'00000000000000000000ffffc0000280',X'00000000',X'00000000000000000000000000000000'); # start 30259 end 30831 time 2026-11-21 14:44:10 gtid 0-1-28
INSERT INTO `binlogkit`.`mtypes` (`id`,`ip6`,`ip4`,`u`) VALUES (4,NULL,NULL,NULL); # start 30259 end 30831 time 2026-11-21 14:44:10 gtid 0-1-28
COMMIT;
CREATE TABLE gen (
  id INT NOT NULL PRIMARY KEY,
  a INT,
  a2 INT AS (a * 2) STORED,
  a3 INT AS (a * 3) VIRTUAL,
  hidden_ INT INVISIBLE DEFAULT 7
) ENGINE=InnoDB; # start 30896 end 31138 time 2026-11-21 14:44:10 gtid 0-1-29
BEGIN;
INSERT INTO `binlogkit`.`gen` (`id`,`a`,`a2`) VALUES (1,10,20); # start 31138 end 31391 time 2026-11-21 14:44:10 gtid 0-1-30
INSERT INTO `binlogkit`.`gen` (`id`,`a`,`a2`) VALUES (2,20,40); # start 31138 end 31391 time 2026-11-21 14:44:10 gtid 0-1-30
INSERT INTO `binlogkit`.`gen` (`id`,`a`,`a2`) VALUES (3,NULL,NULL); # start 31138 end 31391 time 2026-11-21 14:44:10 gtid 0-1-30
COMMIT;
BEGIN;
UPDATE `binlogkit`.`gen` SET `a`=11, `a2`=22, `hidden_`=8 WHERE `id`=1; # start 31418 end 31666 time 2026-11-21 14:44:10 gtid 0-1-31
UPDATE `binlogkit`.`gen` SET `a`=21, `a2`=42, `hidden_`=8 WHERE `id`=2; # start 31418 end 31666 time 2026-11-21 14:44:10 gtid 0-1-31
UPDATE `binlogkit`.`gen` SET `a`=NULL, `a2`=NULL, `hidden_`=8 WHERE `id`=3; # start 31418 end 31666 time 2026-11-21 14:44:10 gtid 0-1-31
COMMIT;
CREATE TABLE nopk (a INT, b VARCHAR(10)) ENGINE=InnoDB; # start 31731 end 31862 time 2026-11-21 14:44:10 gtid 0-1-32
BEGIN;
INSERT INTO `binlogkit`.`nopk` (`a`,`b`) VALUES (1,'x'); # start 31862 end 32098 time 2026-11-21 14:44:10 gtid 0-1-33
INSERT INTO `binlogkit`.`nopk` (`a`,`b`) VALUES (1,'x'); # start 31862 end 32098 time 2026-11-21 14:44:10 gtid 0-1-33
INSERT INTO `binlogkit`.`nopk` (`a`,`b`) VALUES (2,NULL); # start 31862 end 32098 time 2026-11-21 14:44:10 gtid 0-1-33
INSERT INTO `binlogkit`.`nopk` (`a`,`b`) VALUES (NULL,NULL); # start 31862 end 32098 time 2026-11-21 14:44:10 gtid 0-1-33
COMMIT;
BEGIN;
UPDATE `binlogkit`.`nopk` SET `b`='y' WHERE `a`<=>1 AND `b`<=>'x' LIMIT 1; # start 32125 end 32338 time 2026-11-21 14:44:10 gtid 0-1-34
UPDATE `binlogkit`.`nopk` SET `b`='y' WHERE `a`<=>1 AND `b`<=>'x' LIMIT 1; # start 32125 end 32338 time 2026-11-21 14:44:10 gtid 0-1-34
COMMIT;
BEGIN;
DELETE FROM `binlogkit`.`nopk` WHERE `a`<=>NULL AND `b`<=>NULL LIMIT 1; # start 32365 end 32547 time 2026-11-21 14:44:10 gtid 0-1-35
COMMIT;
CREATE TABLE `we-ird tab``le ✓` (
  `id-1` INT NOT NULL PRIMARY KEY,
  `col 2` VARCHAR(10),
  `col``3` INT,
  `ünïcødé_列` INT
) ENGINE=InnoDB; # start 32612 end 32838 time 2026-11-21 14:44:10 gtid 0-1-36
BEGIN;
INSERT INTO `binlogkit`.`we-ird tab``le ✓` (`id-1`,`col 2`,`col``3`,`ünïcødé_列`) VALUES (1,'a',3,4); # start 32838 end 33133 time 2026-11-21 14:44:10 gtid 0-1-37
INSERT INTO `binlogkit`.`we-ird tab``le ✓` (`id-1`,`col 2`,`col``3`,`ünïcødé_列`) VALUES (2,'b',NULL,5); # start 32838 end 33133 time 2026-11-21 14:44:10 gtid 0-1-37
COMMIT;
BEGIN;
UPDATE `binlogkit`.`we-ird tab``le ✓` SET `ünïcødé_列`=9 WHERE `id-1`=2; # start 33160 end 33437 time 2026-11-21 14:44:10 gtid 0-1-38
COMMIT;
CREATE TABLE wide (id INT NOT NULL PRIMARY KEY, c1 SMALLINT,c2 SMALLINT,c3 SMALLINT,c4 SMALLINT,c5 SMALLINT,c6 SMALLINT,c7 SMALLINT,c8 SMALLINT,c9 SMALLINT,c10 SMALLINT,c11 SMALLINT,c12 SMALLINT,c13 SMALLINT,c14 SMALLINT,c15 SMALLINT,c16 SMALLINT,c17 SMALLINT,c18 SMALLINT,c19 SMALLINT,c20 SMALLINT,c21 SMALLINT,c22 SMALLINT,c23 SMALLINT,c24 SMALLINT,c25 SMALLINT,c26 SMALLINT,c27 SMALLINT,c28 SMALLINT,c29 SMALLINT,c30 SMALLINT,c31 SMALLINT,c32 SMALLINT,c33 SMALLINT,c34 SMALLINT,c35 SMALLINT,c36 SMALLINT,c37 SMALLINT,c38 SMALLINT,c39 SMALLINT,c40 SMALLINT,c41 SMALLINT,c42 SMALLINT,c43 SMALLINT,c44 SMALLINT,c45 SMALLINT,c46 SMALLINT,c47 SMALLINT,c48 SMALLINT,c49 SMALLINT,c50 SMALLINT,c51 SMALLINT,c52 SMALLINT,c53 SMALLINT,c54 SMALLINT,c55 SMALLINT,c56 SMALLINT,c57 SMALLINT,c58 SMALLINT,c59 SMALLINT,c60 SMALLINT,c61 SMALLINT,c62 SMALLINT,c63 SMALLINT,c64 SMALLINT,c65 SMALLINT,c66 SMALLINT,c67 SMALLINT,c68 SMALLINT,c69 SMALLINT,c70 SMALLINT,c71 SMALLINT,c72 SMALLINT,c73 SMALLINT,c74 SMALLINT,c75 SMALLINT,c76 SMALLINT,c77 SMALLINT,c78 SMALLINT,c79 SMALLINT,c80 SMALLINT,c81 SMALLINT,c82 SMALLINT,c83 SMALLINT,c84 SMALLINT,c85 SMALLINT,c86 SMALLINT,c87 SMALLINT,c88 SMALLINT,c89 SMALLINT,c90 SMALLINT,c91 SMALLINT,c92 SMALLINT,c93 SMALLINT,c94 SMALLINT,c95 SMALLINT,c96 SMALLINT,c97 SMALLINT,c98 SMALLINT,c99 SMALLINT,c100 SMALLINT,c101 SMALLINT,c102 SMALLINT,c103 SMALLINT,c104 SMALLINT,c105 SMALLINT,c106 SMALLINT,c107 SMALLINT,c108 SMALLINT,c109 SMALLINT,c110 SMALLINT,c111 SMALLINT,c112 SMALLINT,c113 SMALLINT,c114 SMALLINT,c115 SMALLINT,c116 SMALLINT,c117 SMALLINT,c118 SMALLINT,c119 SMALLINT,c120 SMALLINT,c121 SMALLINT,c122 SMALLINT,c123 SMALLINT,c124 SMALLINT,c125 SMALLINT,c126 SMALLINT,c127 SMALLINT,c128 SMALLINT,c129 SMALLINT,c130 SMALLINT,c131 SMALLINT,c132 SMALLINT,c133 SMALLINT,c134 SMALLINT,c135 SMALLINT,c136 SMALLINT,c137 SMALLINT,c138 SMALLINT,c139 SMALLINT,c140 SMALLINT,c141 SMALLINT,c142 SMALLINT,c143 SMALLINT,c144 SMALLINT,c145 SMALLINT,c146 SMALLINT,c147 SMALLINT,c148 SMALLINT,c149 SMALLINT,c150 SMALLINT,c151 SMALLINT,c152 SMALLINT,c153 SMALLINT,c154 SMALLINT,c155 SMALLINT,c156 SMALLINT,c157 SMALLINT,c158 SMALLINT,c159 SMALLINT,c160 SMALLINT,c161 SMALLINT,c162 SMALLINT,c163 SMALLINT,c164 SMALLINT,c165 SMALLINT,c166 SMALLINT,c167 SMALLINT,c168 SMALLINT,c169 SMALLINT,c170 SMALLINT,c171 SMALLINT,c172 SMALLINT,c173 SMALLINT,c174 SMALLINT,c175 SMALLINT,c176 SMALLINT,c177 SMALLINT,c178 SMALLINT,c179 SMALLINT,c180 SMALLINT,c181 SMALLINT,c182 SMALLINT,c183 SMALLINT,c184 SMALLINT,c185 SMALLINT,c186 SMALLINT,c187 SMALLINT,c188 SMALLINT,c189 SMALLINT,c190 SMALLINT,c191 SMALLINT,c192 SMALLINT,c193 SMALLINT,c194 SMALLINT,c195 SMALLINT,c196 SMALLINT,c197 SMALLINT,c198 SMALLINT,c199 SMALLINT,c200 SMALLINT,c201 SMALLINT,c202 SMALLINT,c203 SMALLINT,c204 SMALLINT,c205 SMALLINT,c206 SMALLINT,c207 SMALLINT,c208 SMALLINT,c209 SMALLINT,c210 SMALLINT,c211 SMALLINT,c212 SMALLINT,c213 SMALLINT,c214 SMALLINT,c215 SMALLINT,c216 SMALLINT,c217 SMALLINT,c218 SMALLINT,c219 SMALLINT,c220 SMALLINT,c221 SMALLINT,c222 SMALLINT,c223 SMALLINT,c224 SMALLINT,c225 SMALLINT,c226 SMALLINT,c227 SMALLINT,c228 SMALLINT,c229 SMALLINT,c230 SMALLINT,c231 SMALLINT,c232 SMALLINT,c233 SMALLINT,c234 SMALLINT,c235 SMALLINT,c236 SMALLINT,c237 SMALLINT,c238 SMALLINT,c239 SMALLINT,c240 SMALLINT,c241 SMALLINT,c242 SMALLINT,c243 SMALLINT,c244 SMALLINT,c245 SMALLINT,c246 SMALLINT,c247 SMALLINT,c248 SMALLINT,c249 SMALLINT,c250 SMALLINT,c251 SMALLINT) ENGINE=InnoDB; # start 33502 end 37047 time 2026-11-21 14:44:10 gtid 0-1-39
BEGIN;
INSERT INTO `binlogkit`.`wide` (`id`,`c1`,`c130`,`c251`) VALUES (1,-1,NULL,251); # start 37047 end 38761 time 2026-11-21 14:44:10 gtid 0-1-40
COMMIT;
CREATE TABLE evolve (id INT NOT NULL PRIMARY KEY, a VARCHAR(10), b INT) ENGINE=InnoDB; # start 38826 end 38988 time 2026-11-21 14:44:10 gtid 0-1-41
BEGIN;
INSERT INTO `binlogkit`.`evolve` (`id`,`a`,`b`) VALUES (1,'one',10); # start 38988 end 39228 time 2026-11-21 14:44:10 gtid 0-1-42
INSERT INTO `binlogkit`.`evolve` (`id`,`a`,`b`) VALUES (2,'two',20); # start 38988 end 39228 time 2026-11-21 14:44:10 gtid 0-1-42
COMMIT;
ALTER TABLE evolve ADD COLUMN c DATETIME(3) AFTER id; # start 39293 end 39422 time 2026-11-21 14:44:10 gtid 0-1-43
BEGIN;
INSERT INTO `binlogkit`.`evolve` (`id`,`c`,`a`,`b`) VALUES (3,'2020-01-01 00:00:00.123','three',30); # start 39422 end 39675 time 2026-11-21 14:44:10 gtid 0-1-44
COMMIT;
BEGIN;
UPDATE `binlogkit`.`evolve` SET `c`='2021-01-01 00:00:00.000' WHERE `id`=1; # start 39702 end 39948 time 2026-11-21 14:44:10 gtid 0-1-45
UPDATE `binlogkit`.`evolve` SET `c`='2021-01-01 00:00:00.000' WHERE `id`=2; # start 39702 end 39948 time 2026-11-21 14:44:10 gtid 0-1-45
COMMIT;
ALTER TABLE evolve DROP COLUMN a; # start 40013 end 40122 time 2026-11-21 14:44:10 gtid 0-1-46
BEGIN;
INSERT INTO `binlogkit`.`evolve` (`id`,`c`,`b`) VALUES (4,NULL,40); # start 40122 end 40324 time 2026-11-21 14:44:10 gtid 0-1-47
COMMIT;
ALTER TABLE evolve ADD COLUMN z TINYINT FIRST, MODIFY b BIGINT UNSIGNED; # start 40389 end 40537 time 2026-11-21 14:44:10 gtid 0-1-48
BEGIN;
INSERT INTO `binlogkit`.`evolve` (`z`,`id`,`c`,`b`) VALUES (-1,5,NULL,18446744073709551615); # start 40537 end 40769 time 2026-11-21 14:44:10 gtid 0-1-49
COMMIT;
RENAME TABLE evolve TO evolved; # start 40834 end 40941 time 2026-11-21 14:44:10 gtid 0-1-50
BEGIN;
UPDATE `binlogkit`.`evolved` SET `z`=1 WHERE `id`=1; # start 40941 end 41159 time 2026-11-21 14:44:10 gtid 0-1-51
UPDATE `binlogkit`.`evolved` SET `z`=1 WHERE `id`=2; # start 40941 end 41159 time 2026-11-21 14:44:10 gtid 0-1-51
UPDATE `binlogkit`.`evolved` SET `z`=1 WHERE `id`=3; # start 40941 end 41159 time 2026-11-21 14:44:10 gtid 0-1-51
UPDATE `binlogkit`.`evolved` SET `z`=1 WHERE `id`=4; # start 40941 end 41159 time 2026-11-21 14:44:10 gtid 0-1-51
UPDATE `binlogkit`.`evolved` SET `z`=1 WHERE `id`=5; # start 40941 end 41159 time 2026-11-21 14:44:10 gtid 0-1-51
COMMIT;
BEGIN;
DELETE FROM `binlogkit`.`evolved` WHERE `id`=1; # start 41186 end 41381 time 2026-11-21 14:44:10 gtid 0-1-52
COMMIT;
CREATE TABLE tx (id INT NOT NULL PRIMARY KEY, v VARCHAR(40)) ENGINE=InnoDB; # start 41446 end 41597 time 2026-11-21 14:44:10 gtid 0-1-53
CREATE TABLE ntx (id INT NOT NULL PRIMARY KEY, v VARCHAR(40)) ENGINE=MyISAM; # start 41635 end 41787 time 2026-11-21 14:44:10 gtid 0-1-54
BEGIN;
INSERT INTO `binlogkit`.`tx` (`id`,`v`) VALUES (1,'committed'); # start 41787 end 41991 time 2026-11-21 14:44:10 gtid 0-1-55
INSERT INTO `binlogkit`.`tx` (`id`,`v`) VALUES (2,'committed too'); # start 41787 end 42165 time 2026-11-21 14:44:10 gtid 0-1-55
UPDATE `binlogkit`.`ints` SET `i`=42 WHERE `id`=3; # start 41787 end 42372 time 2026-11-21 14:44:10 gtid 0-1-55
COMMIT;
BEGIN;
INSERT INTO `binlogkit`.`tx` (`id`,`v`) VALUES (4,'before savepoint'); # start 42399 end 42617 time 2026-11-21 14:44:10 gtid 0-1-56
INSERT INTO `binlogkit`.`tx` (`id`,`v`) VALUES (6,'after savepoint'); # start 42399 end 42878 time 2026-11-21 14:44:10 gtid 0-1-56
COMMIT;
BEGIN;
INSERT INTO `binlogkit`.`ntx` (`id`,`v`) VALUES (1,'myisam'); # start 42905 end 43132 time 2026-11-21 14:44:10 gtid 0-1-57
INSERT INTO `binlogkit`.`ntx` (`id`,`v`) VALUES (2,'myisam'); # start 42905 end 43132 time 2026-11-21 14:44:10 gtid 0-1-57
COMMIT;
BEGIN;
INSERT INTO `binlogkit`.`ntx` (`id`,`v`) VALUES (3,'stays: non-transactional'); # start 43206 end 43442 time 2026-11-21 14:44:10 gtid 0-1-58
COMMIT;
XA START X'62696e6c6f676b69742d786131',X'',1; # start 43516 end 43569 time 2026-11-21 14:44:10 gtid 0-1-59
INSERT INTO `binlogkit`.`tx` (`id`,`v`) VALUES (8,'xa two-phase'); # start 43516 end 43741 time 2026-11-21 14:44:10 gtid 0-1-59
XA END X'62696e6c6f676b69742d786131',X'',1; # start 43516 end 43851 time 2026-11-21 14:44:10 gtid 0-1-59
XA PREPARE X'62696e6c6f676b69742d786131',X'',1; # start 43516 end 43896 time 2026-11-21 14:44:10 gtid 0-1-59
XA COMMIT X'62696e6c6f676b69742d786131',X'',1; # start 43896 end 44060 time 2026-11-21 14:44:10 gtid 0-1-60
BEGIN;
INSERT INTO `binlogkit`.`tx` (`id`,`v`) VALUES (9,'xa one-phase'); # start 44060 end 44270 time 2026-11-21 14:44:10 gtid 0-1-61
COMMIT;
XA START X'62696e6c6f676b69742d786133',X'',1; # start 44297 end 44350 time 2026-11-21 14:44:10 gtid 0-1-62
INSERT INTO `binlogkit`.`tx` (`id`,`v`) VALUES (10,'xa rolled back'); # start 44297 end 44527 time 2026-11-21 14:44:10 gtid 0-1-62
XA END X'62696e6c6f676b69742d786133',X'',1; # start 44297 end 44637 time 2026-11-21 14:44:10 gtid 0-1-62
XA PREPARE X'62696e6c6f676b69742d786133',X'',1; # start 44297 end 44682 time 2026-11-21 14:44:10 gtid 0-1-62
XA ROLLBACK X'62696e6c6f676b69742d786133',X'',1; # start 44682 end 44848 time 2026-11-21 14:44:10 gtid 0-1-63
BEGIN;
INSERT INTO `binlogkit`.`tx` (`id`,`v`) VALUES (1001,'copied committed'); # start 44848 end 45181 time 2026-11-21 14:44:10 gtid 0-1-64
INSERT INTO `binlogkit`.`tx` (`id`,`v`) VALUES (1002,'copied committed too'); # start 44848 end 45181 time 2026-11-21 14:44:10 gtid 0-1-64
INSERT INTO `binlogkit`.`tx` (`id`,`v`) VALUES (1004,'copied before savepoint'); # start 44848 end 45181 time 2026-11-21 14:44:10 gtid 0-1-64
INSERT INTO `binlogkit`.`tx` (`id`,`v`) VALUES (1006,'copied after savepoint'); # start 44848 end 45181 time 2026-11-21 14:44:10 gtid 0-1-64
COMMIT;
CREATE TABLE `tx_copy` (
  `id` int(11) NOT NULL,
  `v` varchar(40) DEFAULT NULL
) ENGINE=InnoDB; # start 45246 end 45410 time 2026-11-21 14:44:10 gtid 0-1-65
INSERT INTO `binlogkit`.`tx_copy` (`id`,`v`) VALUES (1001,'copied committed'); # start 45504 end 45705 time 2026-11-21 14:44:10
INSERT INTO `binlogkit`.`tx_copy` (`id`,`v`) VALUES (1002,'copied committed too'); # start 45504 end 45705 time 2026-11-21 14:44:10
INSERT INTO `binlogkit`.`tx_copy` (`id`,`v`) VALUES (1004,'copied before savepoint'); # start 45504 end 45705 time 2026-11-21 14:44:10
INSERT INTO `binlogkit`.`tx_copy` (`id`,`v`) VALUES (1006,'copied after savepoint'); # start 45504 end 45705 time 2026-11-21 14:44:10
CREATE TABLE many (id INT NOT NULL PRIMARY KEY, v VARCHAR(250)) ENGINE=InnoDB; # start 45770 end 45924 time 2026-11-21 14:44:10 gtid 0-1-66
BEGIN;
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (1,'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (2,'CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (3,'DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (4,'EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (5,'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (6,'GGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (7,'HHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHH'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (8,'IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (9,'JJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJ'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (10,'KKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKK'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (11,'LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (12,'MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (13,'NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (14,'OOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (15,'PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (16,'QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (17,'RRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRR'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (18,'SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (19,'TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (20,'UUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUU'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (21,'VVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVV'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (22,'WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (23,'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (24,'YYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (25,'ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (26,'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (27,'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (28,'CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (29,'DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (30,'EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (31,'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (32,'GGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (33,'HHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHH'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (34,'IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (35,'JJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJ'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (36,'KKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKK'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (37,'LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (38,'MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (39,'NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (40,'OOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (41,'PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP'); # start 45924 end 54220 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (42,'QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ'); # start 45924 end 55986 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (43,'RRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRR'); # start 45924 end 55986 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (44,'SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS'); # start 45924 end 55986 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (45,'TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT'); # start 45924 end 55986 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (46,'UUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUU'); # start 45924 end 55986 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (47,'VVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVV'); # start 45924 end 55986 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (48,'WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW'); # start 45924 end 55986 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (49,'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'); # start 45924 end 55986 time 2026-11-21 14:44:10 gtid 0-1-67
INSERT INTO `binlogkit`.`many` (`id`,`v`) VALUES (50,'YYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY'); # start 45924 end 55986 time 2026-11-21 14:44:10 gtid 0-1-67
COMMIT;
BEGIN;
UPDATE `binlogkit`.`many` SET `v`='UUUUUUUUUU' WHERE `id`=20; # start 56013 end 56252 time 2026-11-21 14:44:10 gtid 0-1-68
UPDATE `binlogkit`.`many` SET `v`='OOOOOOOOOO' WHERE `id`=40; # start 56013 end 56252 time 2026-11-21 14:44:10 gtid 0-1-68
COMMIT;
BEGIN;
DELETE FROM `binlogkit`.`many` WHERE `id`=48; # start 56279 end 56477 time 2026-11-21 14:44:10 gtid 0-1-69
DELETE FROM `binlogkit`.`many` WHERE `id`=49; # start 56279 end 56477 time 2026-11-21 14:44:10 gtid 0-1-69
DELETE FROM `binlogkit`.`many` WHERE `id`=50; # start 56279 end 56477 time 2026-11-21 14:44:10 gtid 0-1-69
COMMIT;
TRUNCATE TABLE tx_copy; # start 56542 end 56632 time 2026-11-21 14:44:10 gtid 0-1-70
CREATE SEQUENCE seq1 START WITH 100 INCREMENT BY 5; # start 56670 end 56797 time 2026-11-21 14:44:10 gtid 0-1-71
BEGIN;
SELECT SETVAL(`binlogkit`.`seq1`, 5100, 0, 0); # start 56797 end 57088 time 2026-11-21 14:44:10 gtid 0-1-72
COMMIT;
