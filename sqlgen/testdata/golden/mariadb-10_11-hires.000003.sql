SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
