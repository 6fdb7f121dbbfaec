SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
CREATE DATABASE dtb CHARSET utf8mb4; # start 235 end 356 time 2024-08-07 08:23:15
USE `dtb`;
CREATE TABLE foo(id SERIAL, vector_column VECTOR(3) NOT NULL); # start 433 end 580 time 2024-08-07 08:23:15
CREATE TABLE bar(id SERIAL, vector_column VECTOR(2) NOT NULL, foo TEXT, vector_column2 VECTOR(4) NOT NULL); # start 659 end 851 time 2024-08-07 08:23:15
BEGIN;
INSERT INTO `dtb`.`foo` (`id`,`vector_column`) VALUES (1,STRING_TO_VECTOR('[1.1,2.2,3.3]')); # start 851 end 1170 time 2024-08-07 08:23:15
INSERT INTO `dtb`.`foo` (`id`,`vector_column`) VALUES (2,STRING_TO_VECTOR('[1,-1,0]')); # start 851 end 1170 time 2024-08-07 08:23:15
INSERT INTO `dtb`.`bar` (`id`,`vector_column`,`foo`,`vector_column2`) VALUES (1,STRING_TO_VECTOR('[1.1,2.2]'),NULL,STRING_TO_VECTOR('[1.1,2.2,3.3,4.4]')); # start 851 end 1401 time 2024-08-07 08:23:15
INSERT INTO `dtb`.`bar` (`id`,`vector_column`,`foo`,`vector_column2`) VALUES (2,STRING_TO_VECTOR('[1.01,-1.01]'),'bar',STRING_TO_VECTOR('[42,43,44,45]')); # start 851 end 1401 time 2024-08-07 08:23:15
COMMIT;
drop database dtb; # start 1509 end 1610 time 2024-08-07 08:24:02
CREATE DATABASE dtb CHARSET utf8mb4; # start 1687 end 1808 time 2024-08-07 08:24:02
USE `dtb`;
CREATE TABLE foo(id SERIAL, vector_column VECTOR(3) NOT NULL); # start 1885 end 2032 time 2024-08-07 08:24:02
CREATE TABLE bar(id SERIAL, vector_column VECTOR(2) NOT NULL, foo TEXT, vector_column2 VECTOR(4) NOT NULL); # start 2111 end 2303 time 2024-08-07 08:24:02
BEGIN;
INSERT INTO `dtb`.`foo` (`id`,`vector_column`) VALUES (1,STRING_TO_VECTOR('[1.1,2.2,3.3]')); # start 2303 end 2622 time 2024-08-07 08:24:02
INSERT INTO `dtb`.`foo` (`id`,`vector_column`) VALUES (2,STRING_TO_VECTOR('[1,-1,0]')); # start 2303 end 2622 time 2024-08-07 08:24:02
INSERT INTO `dtb`.`bar` (`id`,`vector_column`,`foo`,`vector_column2`) VALUES (1,STRING_TO_VECTOR('[1.1,2.2]'),NULL,STRING_TO_VECTOR('[1.1,2.2,3.3,4.4]')); # start 2303 end 2853 time 2024-08-07 08:24:02
INSERT INTO `dtb`.`bar` (`id`,`vector_column`,`foo`,`vector_column2`) VALUES (2,STRING_TO_VECTOR('[1.01,-1.01]'),'bar',STRING_TO_VECTOR('[42,43,44,45]')); # start 2303 end 2853 time 2024-08-07 08:24:02
COMMIT;
BEGIN;
DELETE FROM `dtb`.`bar` WHERE `id`=2; # start 2884 end 3227 time 2024-08-07 08:24:02
INSERT INTO `dtb`.`bar` (`id`,`vector_column`,`foo`,`vector_column2`) VALUES (3,STRING_TO_VECTOR('[2.01,-2.01]'),NULL,STRING_TO_VECTOR('[42.1,43.2,44.3,45.4]')); # start 2884 end 3412 time 2024-08-07 08:24:02
COMMIT;
