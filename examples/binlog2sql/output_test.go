package main

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
)

// TestTxOutputSpill checks the order of what txOutput writes when an open
// transaction outgrows memory: complete transactions, then the big one
// when it ends, and nothing of a transaction that never ends.
func TestTxOutputSpill(t *testing.T) {
	var sink bytes.Buffer
	w := bufio.NewWriter(&sink)
	o := &txOutput{w: w, tmpDir: t.TempDir(), limit: 10}
	add := func(s string, inTx bool) {
		o.buf = append(o.buf, s...)
		var err error
		if inTx {
			err = o.pending()
		} else {
			err = o.boundary()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	add("A1;", false)
	add("BEGIN;", true)
	for i := 0; i < 5; i++ {
		add("stmt-long;", true) // spilled
	}
	add("COMMIT;", false)
	add("BEGIN;", true)
	add("cut-off-1;", true)
	add("cut-off-2;", true)
	open, err := o.finish()
	if err != nil {
		t.Fatal(err)
	}
	w.Flush()
	want := "A1;BEGIN;" + strings.Repeat("stmt-long;", 5) + "COMMIT;"
	if sink.String() != want {
		t.Errorf("written %q\nwant    %q", sink.String(), want)
	}
	if string(open) != "BEGIN;cut-off-1;cut-off-2;" {
		t.Errorf("open transaction %q", open)
	}
}
