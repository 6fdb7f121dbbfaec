// Package sqlgen turns row events into SQL that a MySQL or MariaDB server
// accepts and that reproduces the change exactly, with column names and
// keys from the Table_map's metadata, a schema file or a live server, and
// schema history tracked through the DDL in the stream.
//
// Generated columns are never written: a MySQL server refuses a value for
// one (ERROR 3105). No binlog_row_metadata flags them, so the rows of a
// MySQL source's table are written only when a definition of the table
// (the stream's CREATE TABLE, a schema file, a live server) says which
// they are; otherwise they are refused with an *UnknownGeneratedError
// (Generator.CheckTableMap tells before anything is written).
package sqlgen
