SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
BEGIN;
INSERT INTO `binlogkit`.`nopk` (`a`,`b`) VALUES (3,'restart'); # start 351 end 567 time 2026-11-21 14:44:04 gtid 0-1-86
COMMIT;
BEGIN;
INSERT INTO `binlogkit`.`ints` (`id`,`ti`,`tiu`,`si`,`siu`,`mi`,`miu`,`i`,`iu`,`bi`,`biu`,`bool_`) VALUES (100,NULL,NULL,NULL,NULL,NULL,NULL,100,NULL,NULL,NULL,NULL); # start 598 end 864 time 2026-11-21 14:44:04 gtid 0-1-87
COMMIT;
BEGIN;
UPDATE `binlogkit`.`tx` SET `v`='after restart' WHERE `id`=2; # start 895 end 1147 time 2026-11-21 14:44:04 gtid 0-1-88
COMMIT;
BEGIN;
DELETE FROM `binlogkit`.`geo` WHERE `id`=2; # start 1178 end 1495 time 2026-11-21 14:44:04 gtid 0-1-89
COMMIT;
