SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
USE `test`;
CREATE TABLE t1 (a int, b char(50)) ENGINE = MyISAM; # start 117 end 238 time 2011-11-23 14:27:42
CREATE TABLE t2 (a int, b char(50)) ENGINE = InnoDB; # start 238 end 359 time 2011-11-23 14:27:42
CREATE TABLE t3 (a char(20)); # start 359 end 457 time 2011-11-23 14:27:42
BEGIN;
# INSERT INTO `test`.`t1` (@1,@2) VALUES (0,'one'); # start 457 end 618 time 2011-11-23 14:27:42
# INSERT INTO `test`.`t1` (@1,@2) VALUES (1,'two'); # start 457 end 618 time 2011-11-23 14:27:42
COMMIT;
BEGIN;
# UPDATE `test`.`t1` SET @1=1 WHERE @1<=>0 AND @2<=>'one' LIMIT 1; # start 687 end 867 time 2011-11-23 14:27:42
# UPDATE `test`.`t1` SET @1=2 WHERE @1<=>1 AND @2<=>'two' LIMIT 1; # start 687 end 867 time 2011-11-23 14:27:42
COMMIT;
BEGIN;
# DELETE FROM `test`.`t1` WHERE @1<=>2 AND @2<=>'two' LIMIT 1; # start 936 end 1088 time 2011-11-23 14:27:42
COMMIT;
