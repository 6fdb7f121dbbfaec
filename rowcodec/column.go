package rowcodec

import "github.com/binlogkit/binlogkit/event"

// Column describes one column of a Table, from its Table_map.
type Column struct {
	// Index is the column's position in the table map (0-based).
	Index int
	// WireType is the type code in the table map.
	WireType event.ColumnType
	// Type is the real type: for a STRING column, ENUM, SET or STRING as the
	// metadata says; for a TYPED_ARRAY column, the element type (Array set).
	Type event.ColumnType
	// Meta is the column's metadata as event.TableMap.ColumnMeta decodes it
	// (for STRING after resolving the real type: the maximum length in bytes).
	Meta uint32
	// Array is true for a TYPED_ARRAY column (multi-valued index).
	Array bool
	// Nullable is the table map's null bit.
	Nullable bool

	// From optional metadata (binlog_row_metadata=FULL); zero when absent.
	Name       []byte
	Unsigned   bool
	HasSign    bool   // signedness was logged for this column
	Collation  uint16 // character-set collation id of a character column (0: unknown)
	EnumValues [][]byte
	SetValues  [][]byte
	// GeometryType is the geometry subtype (0 GEOMETRY, 1 POINT, …) when logged.
	GeometryType uint32
	PrimaryKey   bool
	// PKPrefix is the prefix length of a primary-key part (0: the whole column).
	PKPrefix uint32
	// Visible is false for an invisible column (COLUMN_VISIBILITY); true when
	// not logged.
	Visible bool
	// VectorDims is a VECTOR column's dimensionality when logged.
	VectorDims uint32

	// Precision is the fractional-seconds precision (0–6) of a TIME,
	// DATETIME or TIMESTAMP column that the Table_map logs with the old
	// type codes (Type event.ColumnTypeTime, ColumnTypeDatetime or
	// ColumnTypeTimestamp), which carry no metadata: NewTable and Reset set
	// it to PrecisionUnknown, Table.SetPrecision to what the table's
	// definition says. 0 is the old formats (MySQL before 5.6, and MariaDB's
	// columns without a fraction); 1–6 are MariaDB's older "hires" formats
	// (tables created before MariaDB 10.1 or with
	// mysql56_temporal_format=OFF), which take more bytes. A column of
	// unknown precision is read without a fraction, and Table.CheckPrecision
	// refuses rows whose bytes do not fit that. It is 0 for other columns
	// (TIME2, DATETIME2 and TIMESTAMP2 carry their precision in Meta).
	Precision int
}

// Table is a decoded Table_map: the table's name and its columns, computed once
// per Table_map and reused for every row. It owns its memory (it does not
// alias the event).
type Table struct {
	ID      uint64
	Schema  []byte
	Name    []byte
	Columns []Column
	// PrimaryKey lists the primary-key column indexes in key order (nil when
	// not logged).
	PrimaryKey []int

	// built is what Reset last built t from (see table.go).
	built builtFrom
	// builds counts the times Reset changed what t describes.
	builds uint64
	// prev holds the build t had before its current one (its names,
	// columns, key and builtFrom), so that a Table_map alternating between
	// two tables (a table id reused after a server restart) swaps back
	// instead of rebuilding. Only its description fields are used.
	prev *Table
}
