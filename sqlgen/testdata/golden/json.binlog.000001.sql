SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
USE `mysql`;
CREATE TABLE t(id INT PRIMARY KEY AUTO_INCREMENT,
               json_col JSON,
               name VARCHAR(100) AS (json_col->>'$.name'),
               age INT AS (json_col->'$.age')); # start 570 end 845 time 2021-03-15 08:42:38
BEGIN;
# INSERT INTO `mysql`.`t` (@1,@2,@3,@4) VALUES (1,CAST('{"age": 24, "data": "xxxxxxxxxx", "name": "Joe"}' AS JSON),'Joe',24); # start 845 end 1164 time 2021-03-15 08:43:22
COMMIT;
BEGIN;
# INSERT INTO `mysql`.`t` (@1,@2,@3,@4) VALUES (2,CAST('{"age": 32, "data": "yyyyyyyyyy", "name": "Sue"}' AS JSON),'Sue',32); # start 1195 end 1514 time 2021-03-15 08:43:39
COMMIT;
BEGIN;
# INSERT INTO `mysql`.`t` (@1,@2,@3,@4) VALUES (3,CAST('{"age": 40, "data": "zzzzzzzzzz", "name": "Pete"}' AS JSON),'Pete',40); # start 1545 end 1866 time 2021-03-15 08:43:54
COMMIT;
BEGIN;
# INSERT INTO `mysql`.`t` (@1,@2,@3,@4) VALUES (4,CAST('{"age": 24, "data": "xxxxxxxxxx", "name": "Joe"}' AS JSON),'Joe',24); # start 1897 end 2358 time 2021-03-15 08:44:04
# INSERT INTO `mysql`.`t` (@1,@2,@3,@4) VALUES (5,CAST('{"age": 32, "data": "yyyyyyyyyy", "name": "Sue"}' AS JSON),'Sue',32); # start 1897 end 2358 time 2021-03-15 08:44:04
# INSERT INTO `mysql`.`t` (@1,@2,@3,@4) VALUES (6,CAST('{"age": 40, "data": "zzzzzzzzzz", "name": "Pete"}' AS JSON),'Pete',40); # start 1897 end 2358 time 2021-03-15 08:44:04
COMMIT;
BEGIN;
# UPDATE `mysql`.`t` SET @2=CAST('{"age": 25, "data": "xxxxxxxxxx", "name": "Joe"}' AS JSON), @4=25 WHERE @1<=>1 AND @2<=>CAST('{"age": 24, "data": "xxxxxxxxxx", "name": "Joe"}' AS JSON) AND @3<=>'Joe' AND @4<=>24 LIMIT 1; # start 2389 end 3496 time 2021-03-15 08:44:12
# UPDATE `mysql`.`t` SET @2=CAST('{"age": 33, "data": "yyyyyyyyyy", "name": "Sue"}' AS JSON), @4=33 WHERE @1<=>2 AND @2<=>CAST('{"age": 32, "data": "yyyyyyyyyy", "name": "Sue"}' AS JSON) AND @3<=>'Sue' AND @4<=>32 LIMIT 1; # start 2389 end 3496 time 2021-03-15 08:44:12
# UPDATE `mysql`.`t` SET @2=CAST('{"age": 41, "data": "zzzzzzzzzz", "name": "Pete"}' AS JSON), @4=41 WHERE @1<=>3 AND @2<=>CAST('{"age": 40, "data": "zzzzzzzzzz", "name": "Pete"}' AS JSON) AND @3<=>'Pete' AND @4<=>40 LIMIT 1; # start 2389 end 3496 time 2021-03-15 08:44:12
# UPDATE `mysql`.`t` SET @2=CAST('{"age": 25, "data": "xxxxxxxxxx", "name": "Joe"}' AS JSON), @4=25 WHERE @1<=>4 AND @2<=>CAST('{"age": 24, "data": "xxxxxxxxxx", "name": "Joe"}' AS JSON) AND @3<=>'Joe' AND @4<=>24 LIMIT 1; # start 2389 end 3496 time 2021-03-15 08:44:12
# UPDATE `mysql`.`t` SET @2=CAST('{"age": 33, "data": "yyyyyyyyyy", "name": "Sue"}' AS JSON), @4=33 WHERE @1<=>5 AND @2<=>CAST('{"age": 32, "data": "yyyyyyyyyy", "name": "Sue"}' AS JSON) AND @3<=>'Sue' AND @4<=>32 LIMIT 1; # start 2389 end 3496 time 2021-03-15 08:44:12
# UPDATE `mysql`.`t` SET @2=CAST('{"age": 41, "data": "zzzzzzzzzz", "name": "Pete"}' AS JSON), @4=41 WHERE @1<=>6 AND @2<=>CAST('{"age": 40, "data": "zzzzzzzzzz", "name": "Pete"}' AS JSON) AND @3<=>'Pete' AND @4<=>40 LIMIT 1; # start 2389 end 3496 time 2021-03-15 08:44:12
COMMIT;
BEGIN;
# UPDATE `mysql`.`t` SET @2=JSON_REPLACE(@2, '$.age', CAST('26' AS JSON)), @3='Joe', @4=26 WHERE @1<=>1 LIMIT 1; # start 3527 end 3980 time 2021-03-15 08:44:29
# UPDATE `mysql`.`t` SET @2=JSON_REPLACE(@2, '$.age', CAST('34' AS JSON)), @3='Sue', @4=34 WHERE @1<=>2 LIMIT 1; # start 3527 end 3980 time 2021-03-15 08:44:29
# UPDATE `mysql`.`t` SET @2=JSON_REPLACE(@2, '$.age', CAST('42' AS JSON)), @3='Pete', @4=42 WHERE @1<=>3 LIMIT 1; # start 3527 end 3980 time 2021-03-15 08:44:29
# UPDATE `mysql`.`t` SET @2=JSON_REPLACE(@2, '$.age', CAST('26' AS JSON)), @3='Joe', @4=26 WHERE @1<=>4 LIMIT 1; # start 3527 end 3980 time 2021-03-15 08:44:29
# UPDATE `mysql`.`t` SET @2=JSON_REPLACE(@2, '$.age', CAST('34' AS JSON)), @3='Sue', @4=34 WHERE @1<=>5 LIMIT 1; # start 3527 end 3980 time 2021-03-15 08:44:29
# UPDATE `mysql`.`t` SET @2=JSON_REPLACE(@2, '$.age', CAST('42' AS JSON)), @3='Pete', @4=42 WHERE @1<=>6 LIMIT 1; # start 3527 end 3980 time 2021-03-15 08:44:29
COMMIT;
