SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
USE `mysql`;
CREATE TABLE foo(a BIT(3), b TEXT, c BIT(8)); # start 568 end 702 time 2022-01-23 12:21:52 gtid fbda2ad0-7c46-11ec-ae30-4ef7efc81a2a:2
BEGIN;
INSERT INTO `mysql`.`foo` (`a`,`b`,`c`) VALUES (b'100','foo',b'00100000'); # start 702 end 970 time 2022-01-23 12:22:32 gtid fbda2ad0-7c46-11ec-ae30-4ef7efc81a2a:3
COMMIT;
