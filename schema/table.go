// Package schema describes the tables of a binlog's rows: column names,
// types and keys from Table_map metadata, CREATE TABLE statements or a
// live server, tracked through the DDL in the stream.
package schema

// Column is what SQL generation needs to know about one column beyond what
// the Table_map says (its type, metadata and nullability come from
// rowcodec.Column at decode time).
type Column struct {
	Name string
	// Type is the column's SQL type as declared ("int unsigned",
	// "varchar(20)", "json"), when the source knows it ("" otherwise); used
	// to check a rows event against the schema version.
	Type string
	// Generated is true for a VIRTUAL or STORED generated column: never
	// written by generated statements (the server rejects values for it).
	Generated bool
	// Invisible is true for an INVISIBLE column (MySQL 8.0.23+, MariaDB 10.3+).
	Invisible bool
	// Unsigned, when the source knows it.
	Unsigned bool
	// Charset is the column's character set name when known ("utf8mb4").
	Charset string
}

// Table is the schema of one table at one point of the stream.
type Table struct {
	Schema, Name string
	Columns      []Column
	// PrimaryKey lists the primary key's column indexes in key order (nil:
	// none known).
	PrimaryKey []int
	// UniqueKeys lists the NOT NULL unique keys, each as column indexes.
	UniqueKeys [][]int
}

// Schema resolves table definitions and follows DDL. Implementations: from
// Table_map metadata (FULL), from CREATE TABLE statements (a schema file),
// from a live server (a *sql.DB).
type Schema interface {
	// Table returns the definition of db.name in force now, or (nil, nil)
	// when the source does not know the table.
	Table(db, name string) (*Table, error)
	// ApplyDDL applies a DDL statement seen in the stream (with the
	// statement's default database), so that later rows decode against the
	// schema in force at their position. Statements that change no table
	// are ignored; a statement the parser cannot read is an error.
	ApplyDDL(defaultDB string, sql string) error
}
