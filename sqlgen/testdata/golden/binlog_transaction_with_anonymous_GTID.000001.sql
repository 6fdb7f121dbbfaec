SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
USE `test`;
CREATE TABLE t2 (c1 INT); # start 218 end 316 time 2015-02-06 05:22:17
