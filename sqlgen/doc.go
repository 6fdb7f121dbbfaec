// Package sqlgen turns row events into SQL that a MySQL or MariaDB server
// accepts and that reproduces the change exactly, with column names and
// keys from the Table_map's metadata, a schema file or a live server, and
// schema history tracked through the DDL in the stream.
package sqlgen
