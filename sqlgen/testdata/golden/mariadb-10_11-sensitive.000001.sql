SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
CREATE DATABASE shop CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci; # start 384 end 520 time 2026-11-21 20:02:24 gtid 0-1-1
USE `shop`;
CREATE TABLE users (
  id INT NOT NULL PRIMARY KEY,
  name VARCHAR(40) NOT NULL,
  phone VARCHAR(24),
  email VARCHAR(100),
  cn_id CHAR(18),
  card VARCHAR(25),
  password VARCHAR(64),
  note TEXT,
  profile JSON,
  mobile BIGINT UNSIGNED,
  born DATE
) ENGINE=InnoDB; # start 562 end 906 time 2026-11-21 20:02:24 gtid 0-1-2
CREATE TABLE orders (
  id INT NOT NULL PRIMARY KEY,
  user_id INT NOT NULL,
  sku VARCHAR(20) NOT NULL,
  amount DECIMAL(10,2) NOT NULL,
  comment VARCHAR(200)
) ENGINE=InnoDB; # start 948 end 1200 time 2026-11-21 20:02:24 gtid 0-1-3
BEGIN;
INSERT INTO `shop`.`users` (`id`,`name`,`phone`,`email`,`cn_id`,`card`,`password`,`note`,`profile`,`mobile`,`born`) VALUES (1,'Alice Zhang','13812345678','alice.zhang@example.com','11010119900307803X','4111 1111 1111 1111','pw-Alice-2024!','VIP; backup contact: alice.backup@example.org, tel 15098765432','{"email": "alice.zhang@example.com", "city": "Beijing", "phones": ["13812345678"]}',13812345678,'1990-03-07'); # start 1200 end 2769 time 2026-11-21 20:02:24 gtid 0-1-4
INSERT INTO `shop`.`users` (`id`,`name`,`phone`,`email`,`cn_id`,`card`,`password`,`note`,`profile`,`mobile`,`born`) VALUES (2,'Bob Li','+86 139-0000-1111','bob.li@example.net','44030419851231002X','5500-0000-0000-0004','hunter2-bob','prefers e-mail: bob.li@example.net','{"email": "bob.li@example.net", "city": "Shenzhen"}',13900001111,'1985-12-31'); # start 1200 end 2769 time 2026-11-21 20:02:24 gtid 0-1-4
INSERT INTO `shop`.`users` (`id`,`name`,`phone`,`email`,`cn_id`,`card`,`password`,`note`,`profile`,`mobile`,`born`) VALUES (3,'Carol Wang','18611112222','carol.wang@example.com','310115197707224513','378282246310005','Carol#secret#77',NULL,NULL,NULL,'1977-07-22'); # start 1200 end 2769 time 2026-11-21 20:02:24 gtid 0-1-4
COMMIT;
BEGIN;
INSERT INTO `shop`.`orders` (`id`,`user_id`,`sku`,`amount`,`comment`) VALUES (100,1,'SKU-1',19.99,'ship fast'); # start 2800 end 3332 time 2026-11-21 20:02:24 gtid 0-1-5
INSERT INTO `shop`.`orders` (`id`,`user_id`,`sku`,`amount`,`comment`) VALUES (101,2,'SKU-2',5.00,'call 13900001111 before delivery'); # start 2800 end 3332 time 2026-11-21 20:02:24 gtid 0-1-5
INSERT INTO `shop`.`orders` (`id`,`user_id`,`sku`,`amount`,`comment`) VALUES (102,1,'SKU-3',7.50,'invoice to alice.zhang@example.com'); # start 2800 end 3332 time 2026-11-21 20:02:24 gtid 0-1-5
COMMIT;
BEGIN;
UPDATE `shop`.`users` SET `phone`='13700001234', `email`='alice.new@example.com', `password`='pw-Alice-2025?', `note`='moved; new mail alice.new@example.com' WHERE `id`=1; # start 3363 end 4295 time 2026-11-21 20:02:24 gtid 0-1-6
COMMIT;
BEGIN;
UPDATE `shop`.`users` SET `card`='6011 1111 1111 1117' WHERE `id`=2; # start 4326 end 5046 time 2026-11-21 20:02:24 gtid 0-1-7
COMMIT;
BEGIN;
UPDATE `shop`.`orders` SET `amount`=21.00 WHERE `id`=100; # start 5077 end 5385 time 2026-11-21 20:02:24 gtid 0-1-8
COMMIT;
BEGIN;
DELETE FROM `shop`.`users` WHERE `id`=3; # start 5416 end 5804 time 2026-11-21 20:02:24 gtid 0-1-9
COMMIT;
BEGIN;
INSERT INTO `shop`.`users` (`id`,`name`,`phone`,`email`,`cn_id`,`card`,`password`,`note`,`profile`,`mobile`,`born`) VALUES (6,'Alice Zhang (work)','13812345678','alice.new@example.com',NULL,NULL,'pw-Work-6',NULL,NULL,NULL,NULL); # start 7007 end 7468 time 2026-11-21 20:02:24 gtid 0-1-14
COMMIT;
BEGIN;
DELETE FROM `shop`.`users` WHERE `id`=2; # start 7499 end 7984 time 2026-11-21 20:02:24 gtid 0-1-15
COMMIT;
