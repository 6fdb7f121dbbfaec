package flashback

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// TestRangeStartsAtRowsEvent is finding 1 of the recovery journey: a range
// that starts at a rows event (the "# at" line a DBA copies) begins after
// its Table_map; the rollback binlog must still carry the Table_map, or
// replaying it changes nothing. CheckBinlog reads it back.
func TestRangeStartsAtRowsEvent(t *testing.T) {
	for _, version := range []string{"10.11.19-MariaDB-log", "8.0.40"} {
		f := newFab(t, version)
		f.begin()
		f.rows(event.RowsWrite, true, [2]int64{1, 10}, [2]int64{2, 20})
		f.commit(1)
		f.begin()
		f.ev(f.tm)
		rowsAt := f.w.Pos()
		f.rows(event.RowsDelete, true, [2]int64{1, 10}, [2]int64{2, 20})
		f.commit(2)

		// The table map of the DELETE is the one written just before it
		// by rows(): start after both.
		src := binlog.NewStreamSource(bytes.NewReader(f.buf.Bytes()), "src-bin.000001")
		start := rowsAt
		r := binlog.NewReader(src, binlog.WithFilters(&binlog.PositionRange{Start: start + tableMapLen(t, f)}))
		fb, err := New(Options{TempDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		if err := fb.Add(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := fb.WriteBinlog(&out); err != nil {
			t.Fatal(err)
		}
		if fb.Summary().Rows["`db`.`t1`"].Deletes != 2 {
			t.Fatalf("%s: summary %+v", version, fb.Summary().Rows)
		}
		if err := fb.CheckBinlog(context.Background(), binlog.NewStreamSource(bytes.NewReader(out.Bytes()), "rollback")); err != nil {
			t.Fatalf("%s: %v", version, err)
		}
		lines := strings.Join(describe(t, out.Bytes()), "\n")
		if !strings.Contains(lines, "TABLE_MAP") || !strings.Contains(lines, "WRITE") {
			t.Fatalf("%s: rollback binlog\n%s", version, lines)
		}
		fb.Close()
	}
}

// tableMapLen is the size of f's Table_map event in f's format.
func tableMapLen(t *testing.T, f *fab) uint64 {
	b, err := event.Append(nil, event.Header{}, f.tm, f.fd)
	if err != nil {
		t.Fatal(err)
	}
	return uint64(len(b))
}

// TestCheckBinlogCatchesMissingTableMap checks that CheckBinlog refuses a
// rollback binlog whose rows event has no Table_map.
func TestCheckBinlogCatchesMissingTableMap(t *testing.T) {
	f := newFab(t, "10.11.19-MariaDB-log")
	f.begin()
	f.rows(event.RowsWrite, true, [2]int64{1, 10})
	f.commit(1)
	fb, err := New(Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer fb.Close()
	if err := fb.Add(context.Background(), f.reader()); err != nil {
		t.Fatal(err)
	}
	// A binlog of the same rows without the Table_map.
	g := newFab(t, "10.11.19-MariaDB-log")
	g.ev(&event.MariaGTID{SeqNo: 1})
	r := &event.Rows{Type: event.DeleteRowsEventV1, TableID: g.tm.TableID, ColumnCount: 2, ColumnsBefore: []byte{3}, Flags: event.RowsFlagStmtEnd}
	g.ev(r)
	err = fb.CheckBinlog(context.Background(), binlog.NewStreamSource(bytes.NewReader(g.buf.Bytes()), "bad"))
	if err == nil || !strings.Contains(err.Error(), "without its Table_map") {
		t.Fatalf("got %v", err)
	}
}

// TestFilteredDDL is finding 5: with a table filter, DDL about other tables
// and statements that change no table do not stop the flashback; DDL on a
// kept table still does.
func TestFilteredDDL(t *testing.T) {
	build := func(ddl ...string) *fab {
		f := newFab(t, "10.11.19-MariaDB-log")
		for _, q := range ddl {
			f.seqs++
			f.ev(&event.MariaGTID{SeqNo: f.seqs, Flags: event.MariaGTIDStandalone})
			f.ev(&event.Query{Schema: []byte("db"), Query: []byte(q)})
		}
		f.begin()
		f.rows(event.RowsDelete, true, [2]int64{1, 10})
		f.commit(9)
		return f
	}
	only, err := binlog.NewTableFilter([]string{"db.t1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ddl    []string
		filter *binlog.TableFilter
		unsafe string // "" when it must pass
	}{
		{[]string{"CREATE USER repl@'%'", "GRANT REPLICATION SLAVE ON *.* TO repl@'%'", "CREATE DATABASE db"}, nil, ""},
		{[]string{"CREATE TABLE other (a INT)", "ALTER TABLE db2.t1 ADD b INT"}, only, ""},
		{[]string{"CREATE TABLE other (a INT)"}, nil, "DDL on db.other"},
		{[]string{"ALTER TABLE t1 ADD c INT"}, only, "DDL on db.t1"},
		{[]string{"TRUNCATE t1"}, only, "DDL on db.t1"},
		{[]string{"DROP DATABASE db"}, only, "DROP DATABASE db"},
		{[]string{"DROP DATABASE db2"}, only, ""},
		{[]string{"CREATE VIEW v AS SELECT 1", "CREATE TEMPORARY TABLE tmp (a INT)", "DROP TEMPORARY TABLE tmp", "ALTER SEQUENCE s RESTART"}, nil, ""},
		{[]string{"RENAME TABLE db2.x TO db2.y, db.tmp TO db.t1"}, only, "DDL on db.t1"},
		{[]string{"DROP TABLE IF EXISTS `a`, `t1`"}, only, "DDL on db.t1"},
		{[]string{"SET STATEMENT max_statement_time=5 FOR ALTER TABLE db.t1 ADD d INT"}, only, "DDL on db.t1"},
		{[]string{"DROP TABLE"}, only, "could not be told"},
	} {
		f := build(c.ddl...)
		fb, err := New(Options{TempDir: t.TempDir(), Tables: c.filter})
		if err != nil {
			t.Fatal(err)
		}
		var opts []binlog.Option
		if c.filter != nil {
			opts = append(opts, binlog.WithFilters(c.filter))
		}
		err = fb.Add(context.Background(), binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(f.buf.Bytes()), "src"), opts...))
		switch {
		case c.unsafe == "" && err != nil:
			t.Errorf("%q: %v", c.ddl, err)
		case c.unsafe != "" && (!errors.Is(err, ErrUnsafe) || !strings.Contains(err.Error(), c.unsafe)):
			t.Errorf("%q: got %v, want an unsafe error naming %q", c.ddl, err, c.unsafe)
		case c.unsafe == "" && (fb.Summary().Transactions != 1 || fb.Summary().IgnoredCount != len(c.ddl)):
			t.Errorf("%q: %d transactions, %d ignored", c.ddl, fb.Summary().Transactions, fb.Summary().IgnoredCount)
		}
		fb.Close()
	}
}
