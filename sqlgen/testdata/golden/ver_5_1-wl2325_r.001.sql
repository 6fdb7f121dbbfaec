SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
USE `test`;
CREATE TABLE t1 (a int, b char(50)) ENGINE = MyISAM; # start 102 end 216 time 2008-01-10 15:21:22
CREATE TABLE t2 (a int, b char(50)) ENGINE = InnoDB; # start 216 end 330 time 2008-01-10 15:21:22
CREATE TABLE t3 (a int, b char(20)); # start 330 end 428 time 2008-01-10 15:21:22
-- read error: ../../shared/testdata/binlogs/ver_5_1-wl2325_r.001: at byte 428 (XID_EVENT): binlog: corrupt event: xid: body of 19 bytes, want 8
