SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
BEGIN;
# INSERT INTO `noria`.`t` (@1) VALUES ('-507:48:27'); # start 157 end 397 time 2025-05-05 15:14:15
COMMIT;
