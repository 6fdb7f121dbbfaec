SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
BEGIN;
# INSERT INTO `mysql`.`ndb_apply_status` (@1,@2,@3,@4,@5) VALUES (3,25769803786,'',0,0); # start 106 end 334 time 2009-09-25 10:12:00
# INSERT INTO `test`.`ba` (@1,@2,@3) VALUES (3,3,3); # start 106 end 415 time 2009-09-25 10:12:00
# INSERT INTO `test`.`ba` (@1,@2,@3) VALUES (1,1,1); # start 106 end 415 time 2009-09-25 10:12:00
# INSERT INTO `test`.`ba` (@1,@2,@3) VALUES (2,2,2); # start 106 end 415 time 2009-09-25 10:12:00
# INSERT INTO `test`.`ba` (@1,@2,@3) VALUES (4,4,4); # start 106 end 415 time 2009-09-25 10:12:00
# UPDATE `test`.`ba` SET @3=40 WHERE @1<=>4 AND @3<=>4 LIMIT 1; # start 106 end 463 time 2009-09-25 10:12:00
# DELETE FROM `test`.`ba` WHERE @1<=>2 LIMIT 1; # start 106 end 497 time 2009-09-25 10:12:00
COMMIT;
