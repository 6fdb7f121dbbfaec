// Package cdc turns a binlog stream into committed row changes with column
// names, exact checkpoints and the envelope of Debezium's MySQL connector:
// what change-data-capture pipelines need from MySQL and MariaDB.
//
// A Stream (Dial for a live server, NewStream for any binlog.Source)
// delivers the row changes of committed transactions only, in commit order:
// each Change has the operation, the table, the before and after images as
// typed rowcodec values with the names and types they were logged with,
// the key columns and the exact source position (file, position, next
// position, GTID, server id, timestamp, row, thread, statement). After the
// last change of each transaction comes an OpCommit carrying a Checkpoint:
// a Stream started from it delivers the next transaction, nothing twice and
// nothing lost, whether the consumer or the server was killed in between.
// A transaction is held until its commit is read, in memory up to
// Config.MaxTxMemory and in a temporary file beyond it, so a transaction of
// millions of rows does not grow the heap.
//
// Column names come from the Table_maps of servers that log FULL metadata
// (binlog_row_metadata=FULL); for servers that log none, from a schema
// history: the server's definitions at the start position, followed through
// the DDL of the stream (schema.Catalog) and saved with each checkpoint, so
// rows logged before an ALTER TABLE keep their columns after a restart.
//
// An initial snapshot (Config.Snapshot) reads the tables' rows in chunks by
// primary key without locks, interleaved with the binlog by watermarks as
// Netflix's DBLog does, resumable from its last chunk: see SnapshotConfig.
//
// Encoder writes Debezium's change-event envelope; Sink is the interface of
// destinations, Run wires a Stream to one, JSONLines writes JSON lines with
// a checkpoint file, and package cdc/natssink publishes to NATS JetStream.
package cdc
