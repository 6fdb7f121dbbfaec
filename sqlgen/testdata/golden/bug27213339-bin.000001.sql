SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
CREATE SCHEMA db1; # start 219 end 308 time 2018-01-23 09:11:33
USE `db1`;
CREATE TABLE t1 (i INT); # start 373 end 468 time 2018-01-23 09:11:33
