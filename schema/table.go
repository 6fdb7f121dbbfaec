package schema

// Column is what a binlog's Table_map does not say about one column: its
// name and declared type, and whether it is generated or invisible. (Its
// binary type, metadata and nullability come from the Table_map itself, as
// rowcodec.Column.)
type Column struct {
	// Name is the column's name as declared.
	Name string
	// Type is the column's SQL type as the server's information_schema
	// spells it ("int(11) unsigned", "varchar(20)", "json"), when the
	// source knows it ("" otherwise): a rows event whose Table_map types
	// do not fit it was logged under another version of the table.
	Type string
	// Generated is true for a VIRTUAL or STORED generated column (and a
	// system-versioned table's row start and end), whose values a server
	// computes and rejects in INSERT and UPDATE.
	Generated bool
	// Invisible is true for an INVISIBLE column (MySQL 8.0.23+, MariaDB
	// 10.3+): in row events, left out of SELECT *.
	Invisible bool
	// Unsigned is true for an UNSIGNED numeric column, when the source
	// knows it.
	Unsigned bool
	// Charset is the character set of a text column as information_schema
	// names it ("utf8mb4", "utf8mb3", "latin1"), when known; "" for other
	// columns and binary strings.
	Charset string
}

// Table is the definition of one table at one position of a binlog. Every
// source hands out *Table values that it never changes afterwards: a later
// version is a new *Table. Callers must not change them either.
type Table struct {
	// Database and Name are the table's database and name, as written in
	// the statement or metadata that defined it.
	Database, Name string
	// Columns are the table's columns in the order of row images.
	Columns []Column
	// PrimaryKey lists the primary key's column indexes in key order (nil:
	// none known).
	PrimaryKey []int
	// UniqueKeys lists the unique keys whose columns are all NOT NULL
	// (each identifies a row as a primary key does), each as column
	// indexes in key order.
	UniqueKeys [][]int
}

// Provider gives the definition of a table in force at the current
// position of a binlog, and follows the DDL of the stream so that it stays
// right as the stream goes on. The providers of this package are Catalog
// (from CREATE TABLE statements: a schema file, or the stream's own DDL),
// Server (a live server) and Metadata (Table_map FULL metadata).
type Provider interface {
	// Table returns the definition of db.name in force now, or (nil, nil)
	// when the provider does not know the table.
	Table(db, name string) (*Table, error)
	// ApplyDDL applies a statement seen in the stream, executed with
	// defaultDB as the current database, so that later rows are read with
	// the definitions in force at their position. Statements that change
	// no table are ignored; a DDL statement the provider cannot read is an
	// error wrapping ErrDDL.
	ApplyDDL(defaultDB, sql string) error
}

// Versioned is implemented by a Provider whose answers change only when its
// Generation does (Catalog and Metadata; not Server, which asks a live
// server), so that a caller may keep what it derived from a definition
// while the Generation stays the same.
type Versioned interface {
	Provider
	Generation() uint64
}
