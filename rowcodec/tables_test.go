package rowcodec

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// TestTablesMatchNewTable reads the recorded binlogs and checks that the
// Table Tables gives each rows event describes its Table_map exactly as a
// fresh NewTable does, that one *Table serves each table id, and that its
// Generation moves only when the Table_map in force describes something
// else.
func TestTablesMatchNewTable(t *testing.T) {
	total := 0
	for _, path := range recordedFiles(t) {
		src, err := binlog.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var byID, byEvent Tables
		perID := map[uint64]*Table{}
		lastShape := map[uint64]string{}
		lastGen := map[uint64]uint64{}
		r := binlog.NewReader(src)
		rowsEvents := 0
		for {
			ev, err := r.Next(context.Background())
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			switch b := ev.Body.(type) {
			case *event.TableMap:
				if _, err := byID.Update(b); err != nil {
					t.Fatal(err)
				}
			case *event.Rows:
				rowsEvents++
				got, err := byEvent.ForRows(ev)
				if err != nil {
					t.Fatal(err)
				}
				want, err := NewTable(ev.Table)
				if err != nil {
					t.Fatal(err)
				}
				if describe(got) != describe(want) {
					t.Fatalf("%s:%d: ForRows gives\n%s\nNewTable gives\n%s", path, ev.Pos, describe(got), describe(want))
				}
				if byID.Table(b.TableID) == nil || describe(byID.Table(b.TableID)) != describe(want) {
					t.Fatalf("%s:%d: Table(%d) does not describe the Table_map in force", path, ev.Pos, b.TableID)
				}
				if p := perID[b.TableID]; p != nil && p != got {
					t.Fatalf("%s:%d: table id %d got a new *Table", path, ev.Pos, b.TableID)
				}
				perID[b.TableID] = got
				shape := describe(want)
				if g, ok := lastGen[b.TableID]; ok && (shape == lastShape[b.TableID]) != (g == got.Generation()) {
					t.Fatalf("%s:%d: Generation %d after %d, shape changed: %v", path, ev.Pos, got.Generation(), g, shape != lastShape[b.TableID])
				}
				lastShape[b.TableID], lastGen[b.TableID] = shape, got.Generation()
			}
		}
		src.Close()
		total += rowsEvents
		if byEvent.Len() != len(perID) {
			t.Errorf("%s: Len %d, %d table ids", path, byEvent.Len(), len(perID))
		}
		byEvent.Clear()
		if byEvent.Len() != 0 || byEvent.Table(1) != nil {
			t.Errorf("Clear left tables")
		}
	}
	if total < 100 {
		t.Fatalf("only %d rows events in the recordings", total)
	}
}

// TestTablesNoTableMap checks the error for a rows event whose Table_map is
// unknown: positioned, wrapping ErrNoTableMap.
func TestTablesNoTableMap(t *testing.T) {
	var ts Tables
	ev := &event.Event{File: "bin.000001", Pos: 1234, Header: event.Header{Type: event.WriteRowsEventV2},
		Body: &event.Rows{Type: event.WriteRowsEventV2, TableID: 9}}
	_, err := ts.ForRows(ev)
	if !errors.Is(err, ErrNoTableMap) || !strings.Contains(err.Error(), "bin.000001: at byte 1234") || !strings.Contains(err.Error(), "table id 9") {
		t.Fatalf("got %v", err)
	}
	if ts.Table(9) != nil {
		t.Fatal("Table of an unknown id")
	}
}

// TestTablesAllocs checks that looking up the Table of a rows event whose
// Table_map repeats allocates nothing.
func TestTablesAllocs(t *testing.T) {
	tm := mkTableMap(t, []col{{event.ColumnTypeLong, 0, false}, {event.ColumnTypeVarchar, 80, true}})
	ev := &event.Event{Header: event.Header{Type: event.WriteRowsEventV2}, Body: &event.Rows{Type: event.WriteRowsEventV2, TableID: tm.TableID}, Table: tm}
	var ts Tables
	if _, err := ts.ForRows(ev); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() {
		if _, err := ts.ForRows(ev); err != nil {
			t.Fatal(err)
		}
		if _, err := ts.Update(tm); err != nil {
			t.Fatal(err)
		}
		ts.Table(tm.TableID)
	}); n != 0 {
		t.Errorf("%v allocations", n)
	}
}
