SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
BEGIN;
# INSERT INTO `test`.`tb1` (@1) VALUES (1); # start 197 end 431 time 2023-09-19 21:31:49
COMMIT;
