SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
USE `test`;
CREATE TABLE t1(c INT); # start 98 end 183 time 2006-02-22 20:59:33
CREATE TABLE t2(s CHAR(200)); # start 183 end 274 time 2006-02-22 20:59:45
