SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
USE `mysql`;
CREATE TABLE t1 (f1 INT UNSIGNED INVISIBLE, f2 INT UNSIGNED INVISIBLE, f3 INT , f4 TEXT, f5 BLOB, f6 BIGINT UNSIGNED INVISIBLE); # start 570 end 787 time 2021-11-23 11:32:06 gtid 97c7af02-4c50-11ec-acd8-681842034964:2
INSERT INTO `mysql`.`t1` (`f1`,`f2`,`f3`,`f4`,`f5`,`f6`) VALUES (1,2,-3,'4',X'05',6000000000); # start 787 end 1089 time 2021-11-23 11:32:46 gtid 97c7af02-4c50-11ec-acd8-681842034964:3
INSERT INTO `mysql`.`t1` (`f1`,`f2`,`f3`,`f4`,`f5`,`f6`) VALUES (NULL,NULL,-33,'44',X'55',NULL); # start 1120 end 1407 time 2021-11-23 11:33:18 gtid 97c7af02-4c50-11ec-acd8-681842034964:4
UPDATE `mysql`.`t1` SET `f1`=111, `f2`=222, `f3`=-333, `f4`='444' WHERE `f1`<=>NULL AND `f2`<=>NULL AND `f3`<=>-33 AND `f4`<=>'44' AND `f5`<=>X'55' AND `f6`<=>NULL LIMIT 1; # start 1438 end 1756 time 2021-11-23 11:34:18 gtid 97c7af02-4c50-11ec-acd8-681842034964:5
