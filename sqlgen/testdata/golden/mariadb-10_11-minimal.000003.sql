SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
BEGIN;
INSERT INTO `binlogkit`.`nopk` (`a`,`b`) VALUES (3,'restart'); # start 346 end 546 time 2026-11-21 14:44:11 gtid 0-1-86
COMMIT;
BEGIN;
INSERT INTO `binlogkit`.`ints` (`id`,`i`) VALUES (100,100); # start 573 end 822 time 2026-11-21 14:44:11 gtid 0-1-87
COMMIT;
BEGIN;
UPDATE `binlogkit`.`tx` SET `v`='after restart' WHERE `id`=2; # start 849 end 1067 time 2026-11-21 14:44:11 gtid 0-1-88
COMMIT;
BEGIN;
DELETE FROM `binlogkit`.`geo` WHERE `id`=2; # start 1094 end 1310 time 2026-11-21 14:44:11 gtid 0-1-89
COMMIT;
