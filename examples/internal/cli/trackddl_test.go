package cli

import (
	"bytes"
	"context"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
	"github.com/binlogkit/binlogkit/schema"
)

// TestTrackDDL: the DDL before the range and in it is applied, the DDL
// after it is not, whether the filters judge rows before decoding them (the
// tracker then keeps the Reader on that path) or after.
func TestTrackDDL(t *testing.T) {
	s := binlogtest.NewStream(event.MariaDB)
	cols := []binlogtest.Column{{Name: "a", Type: 3}}
	row := []rowcodec.Value{rowcodec.IntValue(1)}
	s.DDL("db", "CREATE TABLE t (a INT)")                              // before the range
	s.DDL("db", "CREATE TABLE other (a INT)")                          // before the range, other table
	s.Begin().TableMap(1, "db", "t", cols...).Insert(1, row).XID()     // the range
	s.DDL("db", "ALTER TABLE t ADD COLUMN b INT")                      // in the range, kept
	s.Begin().TableMap(2, "db", "other", cols...).Insert(2, row).XID() // dropped by the table filter
	s.DDL("db", "ALTER TABLE other ADD COLUMN b INT")                  // after the range started, dropped
	data, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	tables, err := binlog.NewTableFilter([]string{"db.t"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tables.Queries = true
	for _, early := range []bool{true, false} {
		cat := schema.NewCatalog()
		var f binlog.Filter = tables
		if !early {
			f = binlog.FilterFunc(tables.Keep) // judges decoded events only
		}
		tr := TrackDDL(cat, f)
		if _, ok := tr.(binlog.EarlyFilter); !ok {
			t.Fatal("TrackDDL's filter does not judge before decoding")
		}
		r := binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(data), "t.bin"), binlog.WithFilters(tr))
		rows := 0
		for ev, err := range r.Events(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := ev.Body.(*event.Rows); ok {
				rows++
			}
		}
		tt, _ := cat.Table("db", "t")
		other, _ := cat.Table("db", "other")
		if rows != 1 || tt == nil || len(tt.Columns) != 2 || other == nil || len(other.Columns) != 1 {
			t.Errorf("early %v: %d rows events kept; t %+v; other %+v", early, rows, tt, other)
		}
	}
}
