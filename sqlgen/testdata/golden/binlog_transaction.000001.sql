SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
USE `test`;
create table t1(a int) engine= innodb; # start 98 end 198 time 2009-09-24 09:03:57
USE `mysql`;
create table t2(a int) engine= innodb; # start 198 end 299 time 2009-09-24 09:03:57
USE `test`;
create table t3(a int) engine= innodb; # start 580 end 680 time 2009-09-24 09:03:57
USE `mysql`;
create table t4(a int) engine= myisam; # start 680 end 781 time 2009-09-24 09:03:57
USE `test`;
create table t5(a int) engine= NDB; # start 1107 end 1204 time 2009-09-24 09:03:57
USE `mysql`;
create table t6(a int) engine= NDB; # start 1204 end 1302 time 2009-09-24 09:03:57
