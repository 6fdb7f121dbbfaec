package event

import "github.com/binlogkit/binlogkit/internal/bin"

// The Peek functions read the few leading fields of a body that a reader
// judging events before decoding them needs (binlog's early filters do:
// a TABLE_MAP or rows event of a table that is filtered out is dropped
// without decoding its columns). They read only what they return and
// report the errors the full decoder would report for those bytes.

// PeekTableMap reads the table id, schema and table name at the start of a
// TABLE_MAP body under f, without decoding the column layout that follows
// (a reader that drops the event by its names need go no further). schema and
// table alias b. It reports the errors DecodeBody would report for the same
// leading bytes.
func PeekTableMap(f *FormatDescription, b []byte) (tableID uint64, schema, table []byte, err error) {
	r := bin.NewReader(b)
	tableID = r.Uint(tableIDLen(f, TableMapEvent))
	r.U16() // flags
	schema = r.Bytes(int(r.U8()))
	if r.U8() != 0 && r.Err() == nil {
		return 0, nil, nil, corruptf("table map: schema name not NUL-terminated")
	}
	table = r.Bytes(int(r.U8()))
	if r.U8() != 0 && r.Err() == nil {
		return 0, nil, nil, corruptf("table map: table name not NUL-terminated")
	}
	if r.Err() != nil {
		return 0, nil, nil, short("table map")
	}
	return tableID, schema, table, nil
}

// PeekRowsTableID reads the table id at the start of a body of rows event
// type t under f, without decoding the rest: with the TABLE_MAP of that id
// (PeekTableMap), a reader knows the rows event's table.
func PeekRowsTableID(f *FormatDescription, t Type, b []byte) (uint64, error) {
	if !t.IsRows() {
		return 0, unsupportedf("rows: %v is not a rows event type", t)
	}
	switch ph := rowsPostHeaderLen(f, t); ph {
	case 6:
		if len(b) < 4 {
			return 0, short("rows")
		}
		return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24, nil
	case 8, 10:
		if len(b) < 6 {
			return 0, short("rows")
		}
		return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 | uint64(b[4])<<32 | uint64(b[5])<<40, nil
	default:
		return 0, unsupportedf("rows: %v with post-header length %d", t, ph)
	}
}
