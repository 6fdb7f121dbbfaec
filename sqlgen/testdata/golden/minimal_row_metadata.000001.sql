SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
BEGIN;
# INSERT INTO `noria`.`t1` (@1,@3,@5) VALUES (1,'a',3230202323); # start 157 end 420 time 2025-04-18 13:50:58
COMMIT;
