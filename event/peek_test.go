package event

import (
	"bytes"
	"testing"
)

// FuzzPeek checks PeekTableMap and PeekRowsTableID against DecodeBody: on any
// body they never panic, and whenever DecodeBody succeeds they succeed too
// and read the same table id and names.
func FuzzPeek(f *testing.F) {
	types := []Type{TableMapEvent, WriteRowsEventV2, UpdateRowsEventV1, DeleteRowsEventV2, MariaWriteRowsCompressed, PartialUpdateRowsEvent}
	formats := []*FormatDescription{DefaultFormat(), NewFormatDescription("10.5.15-MariaDB-log", ChecksumCRC32)}
	for i, t := range types {
		bodies, fds := corpusBodiesQuiet(f, t, 32)
		for j, b := range bodies {
			f.Add(uint8(i), fdIndex(&formats, fds[j]), b)
		}
	}
	f.Add(uint8(0), uint8(0), []byte{1, 0, 0, 0, 0, 0, 1, 0, 1, 'd', 0, 1, 't', 0, 1, 3})
	f.Add(uint8(1), uint8(0), []byte{1, 0, 0})
	f.Fuzz(func(t *testing.T, ti, fi uint8, b []byte) {
		typ := types[int(ti)%len(types)]
		fd := formats[int(fi)%len(formats)]
		if typ == TableMapEvent {
			id, schema, table, perr := PeekTableMap(fd, b)
			var tm TableMap
			if err := tm.DecodeBody(fd, typ, b); err != nil {
				return
			}
			if perr != nil {
				t.Fatalf("DecodeBody succeeds, PeekTableMap fails: %v", perr)
			}
			if id != tm.TableID || !bytes.Equal(schema, tm.Schema) || !bytes.Equal(table, tm.Table) {
				t.Fatalf("PeekTableMap = %d %q %q, DecodeBody %d %q %q", id, schema, table, tm.TableID, tm.Schema, tm.Table)
			}
			return
		}
		id, perr := PeekRowsTableID(fd, typ, b)
		var rows Rows
		if err := rows.DecodeBody(fd, typ, b); err != nil {
			return
		}
		if perr != nil || id != rows.TableID {
			t.Fatalf("PeekRowsTableID = %d, %v; DecodeBody %d", id, perr, rows.TableID)
		}
	})
}

func TestPeekShort(t *testing.T) {
	fd := DefaultFormat()
	if _, _, _, err := PeekTableMap(fd, []byte{1, 0, 0, 0, 0, 0, 0, 0, 5, 'a'}); err == nil {
		t.Error("PeekTableMap accepted a schema name running past the body")
	}
	if _, _, _, err := PeekTableMap(fd, []byte{1, 0, 0, 0, 0, 0, 0, 0, 1, 'a', 'x'}); err == nil {
		t.Error("PeekTableMap accepted a schema name without its NUL")
	}
	id, s, tb, err := PeekTableMap(fd, []byte{7, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 0, 2, 'b', 'c', 0})
	if err != nil || id != 263 || string(s) != "a" || string(tb) != "bc" {
		t.Errorf("PeekTableMap = %d %q %q %v", id, s, tb, err)
	}
	if _, err := PeekRowsTableID(fd, WriteRowsEventV2, []byte{1, 2, 3}); err == nil {
		t.Error("PeekRowsTableID accepted 3 bytes")
	}
	if _, err := PeekRowsTableID(fd, QueryEvent, []byte{1, 2, 3, 4, 5, 6}); err == nil {
		t.Error("PeekRowsTableID accepted a QUERY")
	}
	if id, err := PeekRowsTableID(fd, WriteRowsEventV2, []byte{1, 2, 0, 0, 0, 1, 9}); err != nil || id != 1<<40|2<<8|1 {
		t.Errorf("PeekRowsTableID = %d, %v", id, err)
	}
}
