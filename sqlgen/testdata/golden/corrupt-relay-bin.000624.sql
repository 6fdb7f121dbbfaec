SET NAMES utf8mb4;
SET time_zone='+00:00';
SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
-- read error: ../../shared/testdata/binlogs/corrupt-relay-bin.000624: at byte 91204 (QUERY_EVENT): binlog: truncated event: query: status variables of 16949 bytes in a body of 152
