package flashback

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
	"github.com/binlogkit/binlogkit/schema"
	"github.com/binlogkit/binlogkit/sqlgen"
)

// fab builds a binlog of fabricated events.
type fab struct {
	t    *testing.T
	buf  bytes.Buffer
	w    *binlog.Writer
	fd   *event.FormatDescription
	tm   *event.TableMap
	tbl  *rowcodec.Table
	ts   uint32
	seqs uint64
}

func newFab(t *testing.T, version string) *fab {
	f := &fab{t: t, fd: event.NewFormatDescription(version, event.ChecksumCRC32), ts: 1700000000}
	var err error
	f.w = binlog.NewWriter(&f.buf)
	err = f.w.WriteBody(event.Header{Timestamp: f.ts, ServerID: 1}, f.fd)
	if err != nil {
		t.Fatal(err)
	}
	// t1 (id INT, v INT)
	f.tm = &event.TableMap{TableID: 77, Schema: []byte("db"), Table: []byte("t1"), ColumnCount: 2,
		ColumnTypes: []byte{3, 3}, Metadata: []byte{}, NullBitmap: []byte{0}}
	f.tbl, err = rowcodec.NewTable(f.tm)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fab) ev(b event.Body) {
	f.t.Helper()
	f.ts++
	if err := f.w.WriteBody(event.Header{Timestamp: f.ts, ServerID: 1}, b); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fab) begin() {
	if f.fd.Flavor() == event.MariaDB {
		f.seqs++
		f.ev(&event.MariaGTID{SeqNo: f.seqs})
	} else {
		f.ev(&event.GTID{Type: event.AnonymousGTIDEvent, HasLogicalClock: true, LogicalClockType: 2})
		f.ev(&event.Query{Query: []byte("BEGIN")})
	}
}

// rows appends a rows event of kind k; for UPDATE, pairs are before, after.
func (f *fab) rows(k event.RowsKind, stmtEnd bool, pairs ...[2]int64) {
	f.t.Helper()
	types := map[event.RowsKind]event.Type{event.RowsWrite: event.WriteRowsEventV1, event.RowsUpdate: event.UpdateRowsEventV1, event.RowsDelete: event.DeleteRowsEventV1}
	if f.fd.Flavor() != event.MariaDB {
		types = map[event.RowsKind]event.Type{event.RowsWrite: event.WriteRowsEventV2, event.RowsUpdate: event.UpdateRowsEventV2, event.RowsDelete: event.DeleteRowsEventV2}
	}
	r := &event.Rows{Type: types[k], TableID: f.tm.TableID, ColumnCount: 2}
	if f.fd.Flavor() != event.MariaDB {
		r.ExtraData = []byte{}
	}
	if stmtEnd {
		r.Flags = event.RowsFlagStmtEnd
	}
	if k != event.RowsWrite {
		r.ColumnsBefore = []byte{3}
	}
	if k != event.RowsDelete {
		r.ColumnsAfter = []byte{3}
	}
	var err error
	for _, p := range pairs {
		r.Data, err = f.tbl.AppendRow(r.Data, nil, []rowcodec.Value{rowcodec.IntValue(p[0]), rowcodec.IntValue(p[1])})
		if err != nil {
			f.t.Fatal(err)
		}
	}
	f.ev(f.tm)
	f.ev(r)
}

func (f *fab) commit(xid uint64) { f.ev(&event.XID{XID: xid}) }

func (f *fab) reader() *binlog.Reader {
	return binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(f.buf.Bytes()), "src-bin.000001"))
}

// describe renders a binlog's events compactly: one line per event, rows
// events with their rows' values.
func describe(t *testing.T, b []byte) []string {
	t.Helper()
	r := binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(b), "rollback"), binlog.WithChecksumVerification(true))
	var out []string
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if !ev.Checksummed {
			t.Errorf("event at %d has no checksum", ev.Pos)
		}
		switch b := ev.Body.(type) {
		case *event.Rows:
			tbl, err := rowcodec.NewTable(ev.Table)
			if err != nil {
				t.Fatal(err)
			}
			s := fmt.Sprintf("%s stmtEnd=%v", b.Kind(), b.StmtEnd())
			before := make([]rowcodec.Value, 2)
			after := make([]rowcodec.Value, 2)
			it := tbl.Rows(b, before, after)
			for it.Next() {
				s += " ["
				if it.Before != nil {
					s += fmt.Sprintf("%v,%v", it.Before[0].Int64(), it.Before[1].Int64())
				}
				s += "->"
				if it.After != nil {
					s += fmt.Sprintf("%v,%v", it.After[0].Int64(), it.After[1].Int64())
				}
				s += "]"
			}
			if it.Err() != nil {
				t.Fatal(it.Err())
			}
			out = append(out, s)
		case *event.Query:
			out = append(out, "QUERY "+string(b.Query))
		case *event.XID:
			out = append(out, fmt.Sprintf("XID %d", b.XID))
		case *event.TableMap:
			out = append(out, fmt.Sprintf("TABLE_MAP %d %s.%s", b.TableID, b.Schema, b.Table))
		case *event.GTID:
			out = append(out, "GTID "+ev.Header.Type.String())
		default:
			out = append(out, ev.Header.Type.String())
		}
	}
	return out
}

func flashbackOf(t *testing.T, f *fab, opts Options) *Flashback {
	t.Helper()
	opts.TempDir = t.TempDir()
	fb, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fb.Close() })
	if err := fb.Add(context.Background(), f.reader()); err != nil {
		t.Fatal(err)
	}
	return fb
}

// TESTCASES #34: rows inside one rows event are reversed too; one rollback
// transaction per original transaction, last first; CRC32 recomputed.
func TestCase34ReverseOrderAndBoundaries(t *testing.T) {
	for _, version := range []string{"10.11.6-MariaDB-log", "8.0.36"} {
		t.Run(version, func(t *testing.T) {
			f := newFab(t, version)
			f.begin()
			f.rows(event.RowsWrite, false, [2]int64{1, 10}, [2]int64{2, 20}, [2]int64{3, 30})
			f.rows(event.RowsUpdate, true, [2]int64{1, 10}, [2]int64{1, 11}, [2]int64{2, 20}, [2]int64{2, 22})
			f.commit(100)
			f.begin()
			f.rows(event.RowsDelete, true, [2]int64{3, 30}, [2]int64{2, 22})
			f.commit(101)
			fb := flashbackOf(t, f, Options{})
			var out bytes.Buffer
			if err := fb.WriteBinlog(&out); err != nil {
				t.Fatal(err)
			}
			got := describe(t, out.Bytes())
			var want []string
			if version == "8.0.36" {
				want = append(want, "QUERY "+setGTIDNextAutomatic)
			}
			want = append(want, "QUERY BEGIN", "TABLE_MAP 77 db.t1",
				"WRITE stmtEnd=true [->2,22] [->3,30]", "XID 101")
			if version == "8.0.36" {
				want = append(want, "QUERY "+setGTIDNextAutomatic)
			}
			want = append(want, "QUERY BEGIN", "TABLE_MAP 77 db.t1",
				"UPDATE stmtEnd=false [2,22->2,20] [1,11->1,10]",
				"DELETE stmtEnd=true [3,30->] [2,20->] [1,10->]", "XID 100")
			got = got[1:] // FORMAT_DESCRIPTION
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("rollback binlog:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			s := fb.Summary()
			if s.Transactions != 2 || *s.Rows["`db`.`t1`"] != (Counts{Inserts: 3, Updates: 2, Deletes: 2}) {
				t.Errorf("summary %+v %+v", s, s.Rows["`db`.`t1`"])
			}
		})
	}
}

func TestSQLOutput(t *testing.T) {
	f := newFab(t, "10.11.6-MariaDB-log")
	f.tm.Optional = nil
	f.begin()
	f.rows(event.RowsWrite, true, [2]int64{1, 10}, [2]int64{2, 20})
	f.commit(5)
	f.begin()
	f.rows(event.RowsUpdate, true, [2]int64{1, 10}, [2]int64{1, 11})
	f.commit(6)
	fb := flashbackOf(t, f, Options{})
	cat, err := schema.Parse(strings.NewReader("CREATE TABLE db.t1 (id INT PRIMARY KEY, v INT);"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		opts SQLOptions
		want string
	}{
		{SQLOptions{NoComments: true}, "BEGIN;\nUPDATE `db`.`t1` SET `v`=10 WHERE `id`=1;\nCOMMIT;\nBEGIN;\nDELETE FROM `db`.`t1` WHERE `id`=2;\nDELETE FROM `db`.`t1` WHERE `id`=1;\nCOMMIT;\n"},
		{SQLOptions{NoComments: true, OneTransaction: true}, "BEGIN;\nUPDATE `db`.`t1` SET `v`=10 WHERE `id`=1;\nDELETE FROM `db`.`t1` WHERE `id`=2;\nDELETE FROM `db`.`t1` WHERE `id`=1;\nCOMMIT;\n"},
	} {
		g := sqlgen.New(cat, sqlgen.Options{NoComments: true})
		var out bytes.Buffer
		if err := fb.WriteSQL(&out, g, tc.opts); err != nil {
			t.Fatal(err)
		}
		if out.String() != tc.want {
			t.Errorf("%+v:\n%s\nwant:\n%s", tc.opts, out.String(), tc.want)
		}
	}
}

func TestUnsafeRefusedOrSkipped(t *testing.T) {
	build := func(unsafe func(f *fab)) *fab {
		f := newFab(t, "10.11.6-MariaDB-log")
		f.begin()
		f.rows(event.RowsWrite, true, [2]int64{1, 10})
		f.commit(1)
		f.begin()
		unsafe(f)
		f.commit(2)
		return f
	}
	cases := map[string]func(f *fab){
		"DDL":           func(f *fab) { f.ev(&event.Query{Query: []byte("ALTER TABLE t1 ADD c INT")}) },
		"statement DML": func(f *fab) { f.ev(&event.Query{Query: []byte("/* x */ UPDATE t1 SET v=1")}) },
		"MINIMAL image": func(f *fab) {
			r := &event.Rows{Type: event.DeleteRowsEventV1, TableID: 77, ColumnCount: 2, ColumnsBefore: []byte{1}, Flags: event.RowsFlagStmtEnd}
			r.Data, _ = f.tbl.AppendRow(nil, []byte{1}, []rowcodec.Value{rowcodec.IntValue(1), rowcodec.Absent})
			f.ev(f.tm)
			f.ev(r)
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			f := build(c)
			fb, err := New(Options{TempDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			defer fb.Close()
			err = fb.Add(context.Background(), f.reader())
			var ue *UnsafeError
			if !errors.As(err, &ue) || !errors.Is(err, ErrUnsafe) || ue.Pos == 0 || ue.File != "src-bin.000001" {
				t.Fatalf("err = %v, want a positioned UnsafeError", err)
			}
			t.Log(err)
			fb2 := flashbackOf(t, f, Options{SkipUnsafe: true})
			if s := fb2.Summary(); s.Transactions != 1 || s.SkippedCount != 1 || len(s.Skipped) != 1 {
				t.Errorf("summary %+v", s)
			}
			var out bytes.Buffer
			if err := fb2.WriteBinlog(&out); err != nil {
				t.Fatal(err)
			}
			if got := describe(t, out.Bytes()); len(got) != 5 || got[3] != "DELETE stmtEnd=true [1,10->]" {
				t.Errorf("got %q", got)
			}
		})
	}
}

func TestRequireKey(t *testing.T) {
	f := newFab(t, "10.11.6-MariaDB-log")
	f.begin()
	f.rows(event.RowsWrite, true, [2]int64{1, 10})
	f.commit(1)
	fb, _ := New(Options{TempDir: t.TempDir(), RequireKey: true})
	defer fb.Close()
	if err := fb.Add(context.Background(), f.reader()); !errors.Is(err, ErrUnsafe) {
		t.Fatalf("err = %v", err)
	}
}

func TestInvertedType(t *testing.T) {
	for in, want := range map[event.Type]event.Type{
		event.MariaWriteRowsCompressedV1: event.DeleteRowsEventV1,
		event.MariaUpdateRowsCompressed:  event.UpdateRowsEventV2,
		event.PreGADeleteRowsEvent:       event.WriteRowsEventV1,
		event.DeleteRowsEventV2:          event.WriteRowsEventV2,
		event.PartialUpdateRowsEvent:     event.UpdateRowsEventV2,
	} {
		if got, ok := InvertedType(in); !ok || got != want {
			t.Errorf("%v: %v", in, got)
		}
	}
	if _, ok := InvertedType(event.TableMapEvent); ok {
		t.Error("TABLE_MAP inverted")
	}
}

func TestSplitFiles(t *testing.T) {
	f := newFab(t, "10.11.6-MariaDB-log")
	for i := range 20 {
		f.begin()
		f.rows(event.RowsWrite, true, [2]int64{int64(i), int64(i)})
		f.commit(uint64(i))
	}
	fb := flashbackOf(t, f, Options{})
	names, err := fb.WriteBinlogFiles(t.TempDir()+"/rb", 600)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 3 {
		t.Fatalf("files %v", names)
	}
	total := 0
	r := binlog.NewReader(binlog.OpenFiles(names...))
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := ev.Body.(*event.XID); ok {
			total++
		}
	}
	if total != 20 {
		t.Errorf("%d transactions across %d files", total, len(names))
	}
}

func TestXAPrepareRefused(t *testing.T) {
	f := newFab(t, "10.11.6-MariaDB-log")
	f.seqs++
	f.ev(&event.MariaGTID{SeqNo: f.seqs, Flags: event.MariaGTIDPreparedXA, XIDGtrid: []byte("x")})
	f.rows(event.RowsWrite, true, [2]int64{1, 10})
	f.ev(&event.Query{Query: []byte("XA END 'x'")})
	f.ev(&event.Query{Query: []byte("XA PREPARE 'x'")})
	fb, _ := New(Options{TempDir: t.TempDir()})
	defer fb.Close()
	if err := fb.Add(context.Background(), f.reader()); !errors.Is(err, ErrUnsafe) {
		t.Fatalf("err = %v", err)
	}
}

// TestGTIDNextAutomatic: a MySQL 5.7+ rollback binlog carries no GTID
// events but sets GTID_NEXT to AUTOMATIC before each transaction, so that
// mysqlbinlog's output applies on targets with gtid_mode ON and OFF alike;
// MariaDB and older MySQL rollback binlogs do not.
func TestGTIDNextAutomatic(t *testing.T) {
	for version, want := range map[string]bool{"8.0.36": true, "5.7.44-log": true, "9.7.4": true, "5.6.51": false, "10.11.6-MariaDB-log": false} {
		f := newFab(t, version)
		f.begin()
		f.rows(event.RowsWrite, true, [2]int64{1, 10})
		f.commit(1)
		fb := flashbackOf(t, f, Options{})
		var out bytes.Buffer
		if err := fb.WriteBinlog(&out); err != nil {
			t.Fatal(err)
		}
		got := strings.Join(describe(t, out.Bytes()), " ")
		if strings.Contains(got, "GTID ") || strings.Contains(got, setGTIDNextAutomatic) != want {
			t.Errorf("%s: %s", version, got)
		}
	}
}

// An UPDATE of a partitioned table logs the after images' partition and
// the before images'; the inverse swaps them with the images.
func TestPartitionIDsSwapped(t *testing.T) {
	f := newFab(t, "8.0.36")
	r := &event.Rows{Type: event.UpdateRowsEventV2, TableID: 77, ColumnCount: 2, ColumnsBefore: []byte{3}, ColumnsAfter: []byte{3},
		ExtraData: event.AppendRowsExtraPartition(nil, 2, true, 5)}
	r.Data, _ = f.tbl.AppendRow(nil, nil, []rowcodec.Value{rowcodec.IntValue(1), rowcodec.IntValue(2)})
	r.Data, _ = f.tbl.AppendRow(r.Data, nil, []rowcodec.Value{rowcodec.IntValue(1), rowcodec.IntValue(3)})
	b, err := r.AppendBody(nil, f.fd)
	if err != nil {
		t.Fatal(err)
	}
	var dec event.Rows
	if err := dec.DecodeBody(f.fd, event.UpdateRowsEventV2, b); err != nil {
		t.Fatal(err)
	}
	if !dec.HasPartition || dec.PartitionID != 2 || dec.SourcePartitionID != 5 {
		t.Fatalf("fabricated partition info: %+v", dec)
	}
	var iv Inverter
	out, n, err := iv.Invert(f.tbl, &dec)
	if err != nil || n != 1 {
		t.Fatal(err, n)
	}
	b, err = out.AppendBody(nil, f.fd)
	if err != nil {
		t.Fatal(err)
	}
	if err := dec.DecodeBody(f.fd, event.UpdateRowsEventV2, b); err != nil {
		t.Fatal(err)
	}
	if dec.PartitionID != 5 || dec.SourcePartitionID != 2 {
		t.Errorf("inverted partition ids: %d from %d", dec.PartitionID, dec.SourcePartitionID)
	}
}

func TestRolledBackGroupRefused(t *testing.T) {
	f := newFab(t, "8.0.36")
	f.begin()
	f.rows(event.RowsWrite, true, [2]int64{1, 10})
	f.ev(&event.Query{Query: []byte("ROLLBACK")})
	fb, _ := New(Options{TempDir: t.TempDir()})
	defer fb.Close()
	if err := fb.Add(context.Background(), f.reader()); !errors.Is(err, ErrUnsafe) {
		t.Fatalf("err = %v", err)
	}
	fb2 := flashbackOf(t, f, Options{SkipUnsafe: true})
	if s := fb2.Summary(); s.Transactions != 0 || s.SkippedCount != 1 {
		t.Errorf("summary %+v", s)
	}
}

func TestBinlogGrouping(t *testing.T) {
	f := newFab(t, "10.11.6-MariaDB-log")
	for i := range 3 {
		f.begin()
		f.rows(event.RowsWrite, false, [2]int64{int64(i), 1})
		f.rows(event.RowsWrite, true, [2]int64{int64(i) + 10, 1}, [2]int64{int64(i) + 20, 1})
		f.commit(uint64(i))
	}
	fb := flashbackOf(t, f, Options{})
	for _, tc := range []struct {
		opts      BinlogOptions
		txs, maps int
		stmtEnds  int
	}{
		{BinlogOptions{}, 3, 3, 3},
		{BinlogOptions{OneTransaction: true}, 1, 3, 3},
		{BinlogOptions{ChunkRows: 2}, 4, 6, 6}, // rows 2 | 1+2 | 1+2 | 1
	} {
		names, err := fb.WriteBinlogOpts(t.TempDir()+"/rb", tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(names[0])
		got := describe(t, data)
		all := strings.Join(got, "\n")
		if c := strings.Count(all, "QUERY BEGIN"); c != tc.txs || strings.Count(all, "XID") != tc.txs {
			t.Errorf("%+v: %d transactions:\n%s", tc.opts, c, all)
		}
		if c := strings.Count(all, "TABLE_MAP"); c != tc.maps {
			t.Errorf("%+v: %d table maps", tc.opts, c)
		}
		if c := strings.Count(all, "stmtEnd=true"); c != tc.stmtEnds {
			t.Errorf("%+v: %d STMT_END:\n%s", tc.opts, c, all)
		}
		// Every transaction ends on a STMT_END rows event.
		for i, l := range got {
			if strings.HasPrefix(l, "XID") && !strings.Contains(got[i-1], "stmtEnd=true") {
				t.Errorf("%+v: XID after %q", tc.opts, got[i-1])
			}
		}
	}
}

// Files across a multi-file input are reversed too: the last file's
// transactions are undone first, whether the files come through one reader
// or one Add each.
func TestMultiFileReversed(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i := range 3 {
		f := newFab(t, "10.11.6-MariaDB-log")
		f.begin()
		f.rows(event.RowsWrite, true, [2]int64{int64(i), 0})
		f.commit(uint64(i))
		p := filepath.Join(dir, fmt.Sprintf("bin.%06d", i+1))
		if err := os.WriteFile(p, f.buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	check := func(fb *Flashback) {
		var files []string
		for tx, err := range fb.Transactions() {
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, filepath.Base(tx.File))
		}
		if got := strings.Join(files, " "); got != "bin.000003 bin.000002 bin.000001" {
			t.Errorf("order %s", got)
		}
	}
	fb, _ := New(Options{TempDir: dir})
	defer fb.Close()
	src := binlog.OpenFiles(paths...)
	defer src.Close()
	if err := fb.Add(context.Background(), binlog.NewReader(src)); err != nil {
		t.Fatal(err)
	}
	check(fb)
	fb2, _ := New(Options{TempDir: dir})
	defer fb2.Close()
	for _, p := range paths {
		s := binlog.OpenFiles(p)
		if err := fb2.Add(context.Background(), binlog.NewReader(s)); err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	check(fb2)
}

// TestRollbackBinlogReproducible: the rollback binlog's FORMAT_DESCRIPTION
// carries the time of the latest transaction undone, not the time of the
// run, so that the same input gives the same bytes.
func TestRollbackBinlogReproducible(t *testing.T) {
	f := newFab(t, "10.11.6-MariaDB-log")
	f.begin()
	f.rows(event.RowsWrite, true, [2]int64{1, 10})
	f.commit(100)
	f.begin()
	f.rows(event.RowsDelete, true, [2]int64{1, 10})
	f.commit(101)
	latest := f.ts - 3 // the second transaction's first event (its GTID)
	fb := flashbackOf(t, f, Options{})
	var out bytes.Buffer
	if err := fb.WriteBinlog(&out); err != nil {
		t.Fatal(err)
	}
	fde := out.Bytes()[event.MagicLen:]
	if ts := binary.LittleEndian.Uint32(fde); ts != latest {
		t.Errorf("FORMAT_DESCRIPTION timestamp %d, want %d (the latest transaction's)", ts, latest)
	}
}

// TestTableMapCache: a Table_map record stands for a definition kept once
// (with its table id); the Table_maps read back are made once per record
// body and do not change with the buffer the body was read into, and the
// cache stays within its bound.
func TestTableMapCache(t *testing.T) {
	fb, err := New(Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer fb.Close()
	fb.outFmt = rollbackFormat("10.11.6-MariaDB-log")
	buf := make([]byte, 12)
	body := func(i int) []byte {
		tm := &event.TableMap{TableID: uint64(i), Schema: []byte("db"), Table: []byte(fmt.Sprintf("t%d", i%7)), ColumnCount: 1,
			ColumnTypes: []byte{3}, Metadata: []byte{}, NullBitmap: []byte{0}}
		c := *tm
		c.TableID = 0
		key, err := c.AppendBody(nil, fb.outFmt)
		if err != nil {
			t.Fatal(err)
		}
		binary.LittleEndian.PutUint32(buf, fb.reg.id(key, tm))
		binary.LittleEndian.PutUint64(buf[4:], uint64(i))
		return buf
	}
	first, err := fb.tableMap(body(1))
	if err != nil {
		t.Fatal(err)
	}
	for i := 2; i < 3*maxTableMapCache; i++ {
		tm, err := fb.tableMap(body(i))
		if err != nil {
			t.Fatal(err)
		}
		if string(tm.Table) != fmt.Sprintf("t%d", i%7) || tm.TableID != uint64(i) {
			t.Fatalf("body %d read back as %s id %d", i, tm.Table, tm.TableID)
		}
		if len(fb.tmCache) > maxTableMapCache {
			t.Fatalf("%d Table_maps cached", len(fb.tmCache))
		}
	}
	if string(first.Table) != "t1" || first.TableID != 1 {
		t.Errorf("a Table_map changed with the buffer it was read from: %s id %d", first.Table, first.TableID)
	}
	if n := len(fb.reg.maps); n != 7 {
		t.Errorf("%d definitions kept, want 7", n)
	}
	again, _ := fb.tableMap(body(3*maxTableMapCache - 1))
	if again2, _ := fb.tableMap(body(3*maxTableMapCache - 1)); again != again2 {
		t.Error("the same body made into a Table_map twice")
	}
	binary.LittleEndian.PutUint32(buf, 99)
	if _, err := fb.tableMap(buf); err == nil {
		t.Error("a record naming no definition was read")
	}
}

// TestStatementKept: the kind and reasons addTx gets for statements it
// keeps by text are those it gets reading each afresh, in any default
// database and for tables in and out of the range, and the kept texts stay
// bounded.
func TestStatementKept(t *testing.T) {
	filter, err := binlog.NewTableFilter([]string{"d.*"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"CREATE TABLE a (id INT)", "DROP TABLE a", "ALTER TABLE e.a ADD b INT", "DROP DATABASE d",
		"DROP DATABASE e", "CREATE TEMPORARY TABLE a (id INT)", "CREATE VIEW v AS SELECT 1",
		"CREATE SEQUENCE s", "ALTER SEQUENCE s RESTART", "RENAME TABLE a TO e.b", "DROP TABLE `",
		"INSERT INTO a VALUES (1)", "BEGIN", "COMMIT", "SAVEPOINT x",
	}
	for _, tables := range []*binlog.TableFilter{nil, filter} {
		kept := &Flashback{opts: Options{Tables: tables}}
		rng := rand.New(rand.NewPCG(5, 6))
		for i := range 5000 {
			text := texts[rng.IntN(len(texts))]
			if rng.IntN(6) == 0 {
				text = fmt.Sprintf("CREATE TABLE t%d (id INT)", i)
			}
			q := &event.Query{Schema: []byte([]string{"d", "e"}[rng.IntN(2)]), Query: []byte(text)}
			detail := rng.IntN(2) == 0
			st, kt := kept.statement(q.Query)
			if want := event.ClassifyStatement(q.Query); st != want {
				t.Fatalf("%q: %+v, afresh %+v", text, st, want)
			}
			if st.Kind != event.StatementDDL {
				if kt != nil {
					t.Fatalf("%q: kept, not DDL", text)
				}
				continue
			}
			got, want := kept.ddlReason(q, st, kt, detail), kept.ddlReason(q, st, nil, detail)
			if got != want {
				t.Fatalf("%q in %s: reason %q, afresh %q", text, q.Schema, got, want)
			}
			if len(kept.stmts) > maxStmts || kept.stmtsBytes > maxStmtsBytes {
				t.Fatalf("%d statements, %d bytes kept", len(kept.stmts), kept.stmtsBytes)
			}
		}
		if len(kept.stmts) == 0 {
			t.Error("nothing kept")
		}
	}
}
