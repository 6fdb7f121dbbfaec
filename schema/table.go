package schema

import (
	"strconv"
	"strings"

	"github.com/binlogkit/binlogkit/rowcodec"
)

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
	// Precision is the fractional-seconds precision of a TIME, DATETIME or
	// TIMESTAMP column (0–6: TIME is 0, TIME(3) is 3), which a Table_map
	// does not carry for MariaDB's older temporal formats (see
	// rowcodec.Column.Precision and SetPrecisions). It is 0 for other
	// columns, and -1 (rowcodec.PrecisionUnknown) when the source does not
	// know it (Metadata).
	Precision int
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

// SetPrecisions gives t, the rowcodec.Table of a rows event, the
// fractional-seconds precision of its TIME, DATETIME and TIMESTAMP columns
// from def, the definition of the table in force at the event
// (rowcodec.Table.SetPrecision): MariaDB logs the columns of its older
// temporal formats with the old type codes and without their precision,
// and their rows do not decode without it. Columns def does not know the
// precision of are left as they are; nothing is done when def is nil or
// has another number of columns than t (a definition of another version
// of the table, or with generated columns the Table_map leaves out).
func SetPrecisions(t *rowcodec.Table, def *Table) {
	if def == nil || len(def.Columns) != len(t.Columns) {
		return
	}
	for i := range def.Columns {
		if p := def.Columns[i].Precision; p >= 0 && p <= 6 {
			t.SetPrecision(i, p) // in range: cannot fail
		}
	}
}

// PrecisionSetter returns a function that gives the Table of a rows event
// the precisions of p's definition of its table (SetPrecisions), for
// programs whose rows are decoded by another package: mask.WithPrecision
// and flashback's Options.Precision take it. An error is p's.
func PrecisionSetter(p Provider) func(t *rowcodec.Table) error {
	return func(t *rowcodec.Table) error {
		if p == nil || !t.NeedsPrecision() {
			return nil
		}
		def, err := p.Table(string(t.Schema), string(t.Name))
		if err != nil {
			return err
		}
		SetPrecisions(t, def)
		return nil
	}
}

// typePrecision returns the fractional-seconds precision a column type as
// information_schema's COLUMN_TYPE spells it declares: n for "time(n)",
// "datetime(n)" and "timestamp(n)" (MariaDB may add a comment:
// "time(3) /* mariadb-5.3 */"), 0 for them without (n) and for other
// types, -1 for a precision that does not parse.
func typePrecision(typ string) int {
	t := strings.ToLower(strings.TrimSpace(typ))
	for _, name := range []string{"timestamp", "datetime", "time"} {
		rest, ok := strings.CutPrefix(t, name)
		if !ok {
			continue
		}
		if rest == "" || rest[0] == ' ' {
			return 0
		}
		if rest[0] != '(' {
			return 0 // another word: not one of these types
		}
		n, _, ok := strings.Cut(rest[1:], ")")
		p, err := strconv.Atoi(strings.TrimSpace(n))
		if !ok || err != nil || p < 0 || p > 6 {
			return -1
		}
		return p
	}
	return 0
}
