SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
USE `test`;
CREATE TABLE t1 (a int) engine = myisam; # start 120 end 233 time 2013-02-07 14:32:41
BEGIN;
# INSERT INTO `test`.`t1` (@1) VALUES (1); # start 233 end 395 time 2013-02-07 14:32:43
# INSERT INTO `test`.`t1` (@1) VALUES (1); # start 233 end 395 time 2013-02-07 14:32:43
COMMIT;
