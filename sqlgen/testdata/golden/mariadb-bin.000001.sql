SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
BEGIN;
INSERT INTO `toddy_test`.`outbox` (`id`,`topic`,`event_type`,`event`,`created`) VALUES (62,'foo','JSON',X'7b22666f6f223a317d','2022-04-20 22:18:04'); # start 330 end 671 time 2022-04-20 22:18:04 gtid 0-1-1
COMMIT;
BEGIN;
INSERT INTO `toddy_test`.`outbox` (`id`,`topic`,`event_type`,`event`,`created`) VALUES (63,'foo','JSON',X'7b22666f6f223a317d','2022-04-20 22:19:55'); # start 702 end 1043 time 2022-04-20 22:19:55 gtid 0-1-2
COMMIT;
