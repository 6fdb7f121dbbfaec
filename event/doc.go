// Package event holds the MySQL and MariaDB binlog event formats: type codes,
// the 19-byte common header, CRC32 checksums, and a typed body for every event
// MySQL 5.0–9.x and MariaDB 10.x–11.x write (*Query, *TableMap, *Rows,
// *GTID, *MariaGTID, *TransactionPayload, …; *Unknown for anything else).
//
// Bodies are zero-copy views: their []byte fields alias the bytes they were
// decoded from. A Decoder keeps one body per type and reuses it, so decoding
// does not allocate in steady state. Every body also encodes: Append builds
// a whole event (header, body, checksum), and for every event of the test
// corpus re-encoding the decoded event gives back the same bytes.
//
// Decoding never panics on input; errors wrap ErrCorrupt, ErrTruncated or
// ErrUnsupported. Reading files and streams is package binlog's job.
//
// ColumnType names the column type codes of TABLE_MAP events, and
// ClassifyStatement (Query.Statement) tells what a statement's text does:
// transaction control, XA, savepoints, DML, or DDL and its object;
// StatementTables reads the tables it changes or defines.
package event
