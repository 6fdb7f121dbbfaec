// Package binlogtest provides a fake replication primary and builders of
// fabricated binlog streams, for testing binlog consumers without a database,
// in the manner of net/http/httptest.
//
// A Server listens on loopback, accepts replica connections authenticated
// with mysql_native_password, answers the queries replicas send before they
// dump (SELECT @@…, SHOW BINARY LOGS, SHOW MASTER STATUS, SET @master_…),
// and serves its binlog files over COM_BINLOG_DUMP, COM_BINLOG_DUMP_GTID and
// MariaDB's GTID mode (@slave_connect_state): an artificial ROTATE naming the
// file, its FORMAT_DESCRIPTION, the events, a ROTATE between files, then
// heartbeats while idle, or an EOF packet after the last event when the
// replica asked for BINLOG_DUMP_NON_BLOCK. binlog.Dial, mariadb-binlog
// --read-from-remote-server and real replicas can read from it.
//
// A Stream builds the files: a FORMAT_DESCRIPTION, then GTID, QUERY,
// TABLE_MAP, rows (typed values encoded by rowcodec) and XID events, with
// sizes, positions and CRC32 checksums filled in.
package binlogtest
