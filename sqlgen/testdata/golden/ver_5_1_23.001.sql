SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
USE `test`;
CREATE TABLE t1 (a int, b char(50)) ENGINE = MyISAM; # start 106 end 220 time 2008-01-10 15:20:43
CREATE TABLE t2 (a int, b char(50)) ENGINE = InnoDB; # start 220 end 334 time 2008-01-10 15:20:43
CREATE TABLE t3 (a char(20)); # start 334 end 425 time 2008-01-10 15:20:43
# INSERT INTO `test`.`t1` (@1,@2) VALUES (0,'one'); # start 425 end 516 time 2008-01-10 15:20:43
# INSERT INTO `test`.`t1` (@1,@2) VALUES (1,'two'); # start 425 end 516 time 2008-01-10 15:20:43
# UPDATE `test`.`t1` SET @1=1 WHERE @1<=>0 AND @2<=>'one' LIMIT 1; # start 425 end 626 time 2008-01-10 15:20:43
# UPDATE `test`.`t1` SET @1=2 WHERE @1<=>1 AND @2<=>'two' LIMIT 1; # start 425 end 626 time 2008-01-10 15:20:43
# DELETE FROM `test`.`t1` WHERE @1<=>2 AND @2<=>'two' LIMIT 1; # start 425 end 708 time 2008-01-10 15:20:43
