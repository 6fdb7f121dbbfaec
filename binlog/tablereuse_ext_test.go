package binlog_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// A table id bound again to another table whose TABLE_MAP has the same size
// (a server reuses ids after a restart; a binlog cut and joined repeats them)
// is decoded anew: each rows event gets the table its TABLE_MAP named.
func TestTableIDRebound(t *testing.T) {
	col := binlogtest.Column{Name: "a", Type: 3}
	s := binlogtest.NewStream(event.MariaDB)
	var want []string
	for _, tbl := range []string{"t1", "t1", "t2", "t2", "t1", "t3", "t1"} {
		s.Begin().TableMap(7, "db", tbl, col).Insert(7, []rowcodec.Value{rowcodec.IntValue(1)}).XID()
		want = append(want, tbl)
	}
	data, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	r := binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(data), "rebound"))
	var got []string
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		switch b := ev.Body.(type) {
		case *event.TableMap:
			if string(b.Table) != want[len(got)] {
				t.Errorf("TABLE_MAP %d names %s, want %s", len(got), b.Table, want[len(got)])
			}
		case *event.Rows:
			got = append(got, string(ev.Table.Table))
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows events, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("rows event %d: table %s, want %s", i, got[i], want[i])
		}
	}
}
