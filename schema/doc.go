// Package schema gives the definitions of the tables a binlog's rows belong
// to, as they were at each position of the stream: column names, declared
// types, generated and invisible columns, character sets, the primary key
// and the NOT NULL unique keys. A rows event carries only column types; the
// names and keys that SQL, JSON or masking by column name need come from
// here.
//
// # Providers
//
// A Provider answers Table(db, name) with the definition in force now and
// follows the stream's DDL with ApplyDDL. Which one to use depends on the
// binlogs:
//
//   - Metadata, for binlogs written with binlog_row_metadata=FULL (MySQL
//     8.0.1+, MariaDB 10.5+): every Table_map carries its columns' names,
//     so the definition is always the one the row was logged with. Show it
//     each decoded Table_map with Observe.
//   - A Catalog from a schema file (LoadFile, Parse) for older binlogs, or
//     binlogs without FULL metadata: the output of mysqldump --no-data or
//     mariadb-dump --no-data taken at the start of the binlogs, from which
//     the Catalog follows every CREATE, ALTER, RENAME and DROP of the
//     stream, so each row is read with the definition of its position.
//   - Server, for recent binlogs: the definitions a live server has now,
//     read from information_schema on first use. Right only when no DDL
//     ran between the rows read and now other than DDL in the stream ahead
//     of them.
//   - An empty Catalog (NewCatalog) when the stream creates its own tables:
//     the CREATE TABLE statements of the stream are the definitions.
//
// # The Catalog and the TiDB parser
//
// A Catalog is an in-memory, versioned model of databases and tables:
// every statement that changes a table makes a new *Table and leaves the
// ones handed out before as they were, so rows logged before an ALTER keep
// the columns they were logged with. Its DDL is parsed with the TiDB
// parser (github.com/pingcap/tidb/pkg/parser), after a rewrite of the
// MariaDB and MySQL syntax that parser does not read (INVISIBLE columns,
// spatial, INET and UUID types, system versioning, ALTER ONLINE, CREATE OR
// REPLACE, version comments, …). Statements that cannot change a table
// are recognised by their first keywords and never parsed.
//
// # Precision of MariaDB's older temporal formats
//
// MariaDB logs TIME(n), DATETIME(n) and TIMESTAMP(n) columns of tables
// created before 10.1 or with mysql56_temporal_format=OFF with the old type
// codes and without n, and their values take more bytes than the old
// types': rows of such tables decode only with n from the definition.
// Column.Precision carries it (from CREATE TABLE text, from
// information_schema's COLUMN_TYPE, through ALTER TABLE); SetPrecisions
// gives it to the rowcodec.Table of a rows event, and PrecisionSetter does
// so for packages that decode rows themselves (mask, flashback).
//
// Two things change the TiDB parser for the whole program: importing this
// package imports the parser's test_driver, whose init sets the parser's
// value-expression constructors (ast.NewValueExpr and the like, needed for
// DEFAULT and COMMENT clauses), and a Catalog's first parse registers the
// character sets MySQL and MariaDB have and TiDB lacks
// (RegisterParserCharsets). A program that uses TiDB's own expression
// driver (its types/parser_driver package) should not import this package
// as well.
package schema
