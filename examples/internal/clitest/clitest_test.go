package clitest

import (
	"context"
	"fmt"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// TestScene reads the scene back: the transactions at their positions, in
// their files, and the second file larger than the first.
func TestScene(t *testing.T) {
	sc := Write(t)
	r := binlog.NewReader(binlog.OpenFiles(sc.Files...))
	var got []string
	for tx, err := range r.Transactions(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if tx.HasGTID {
			got = append(got, fmt.Sprintf("%s@%d", tx.GTID, tx.Pos))
			if sc.Pos[tx.GTID.String()] != tx.Pos {
				t.Errorf("%s at %d, want %d", tx.GTID, tx.Pos, sc.Pos[tx.GTID.String()])
			}
		}
		for ev, err := range tx.Events() {
			if err != nil {
				t.Fatal(err)
			}
			if ev.Header.Type == event.MariaAnnotateRowsEvent && ev.Table != nil {
				t.Errorf("annotate with a table")
			}
		}
	}
	if len(got) != 6 {
		t.Errorf("transactions %v", got)
	}
}
