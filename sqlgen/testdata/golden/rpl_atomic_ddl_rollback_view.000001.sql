SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
USE `test`;
CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `v1` AS SELECT 1; # start 219 end 405 time 2017-12-06 16:24:30 gtid ef5292c1-daa1-11e7-9082-340286faf52d:1
DROP VIEW v1, v2; # start 470 end 560 time 2017-12-06 16:24:30 gtid aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa:2
