package binlog

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

// rowsRecord is what a rows event says, for comparing two streams: its
// table, type and body bytes (without checksum).
type rowsRecord struct {
	table string
	typ   event.Type
	body  string
}

// collectRows reads r to its end and returns its rows events. Every rows
// event must have its Table_map.
func collectRows(t *testing.T, r *Reader) ([]rowsRecord, error) {
	t.Helper()
	var out []rowsRecord
	for {
		ev, err := r.Next(context.Background())
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		if _, ok := ev.Body.(*event.Rows); !ok {
			continue
		}
		if ev.Table == nil {
			return out, fmt.Errorf("rows event at %d without a Table_map", ev.Pos)
		}
		out = append(out, rowsRecord{table: string(ev.Table.Schema) + "." + string(ev.Table.Table), typ: ev.Header.Type, body: string(ev.BodyBytes())})
	}
}

// copyVariants are the filter sets a file is copied with: everything, one
// table, and a range that starts at a rows event (after its Table_map, and
// after the FORMAT_DESCRIPTION).
func copyVariants(t *testing.T, path string) map[string]func() []Filter {
	v := map[string]func() []Filter{"all": func() []Filter { return nil }}
	src, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	r := NewReader(src)
	var firstTable string
	var firstRows uint64
	for {
		ev, err := r.Next(context.Background())
		if err != nil {
			break
		}
		if _, ok := ev.Body.(*event.Rows); ok && ev.Table != nil {
			if firstTable == "" {
				firstTable = string(ev.Table.Schema) + "." + string(ev.Table.Table)
			}
			if firstRows == 0 && !ev.InPayload {
				firstRows = ev.Pos
			}
		}
	}
	if firstTable != "" {
		v["table "+firstTable] = func() []Filter {
			f, err := NewTableFilter([]string{firstTable}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return []Filter{f}
		}
	}
	if firstRows != 0 {
		v[fmt.Sprintf("from rows event at %d", firstRows)] = func() []Filter { return []Filter{&PositionRange{Start: firstRows}} }
	}
	return v
}

// TestCopyToWriter copies real binlogs through filters into a Writer and
// reads the result back: the rows events are those the filters kept, byte
// for byte, each with its Table_map, and the file's end_log_pos chain and
// checksums verify.
func TestCopyToWriter(t *testing.T) {
	ctx := context.Background()
	copied := 0
	for _, path := range allFiles(t) {
		// Only files that read cleanly to their end: a copy of a corrupt
		// file stops at the same error.
		src, err := OpenFile(path)
		if err != nil {
			continue
		}
		_, err = collectRows(t, NewReader(src))
		src.Close()
		if err != nil {
			continue
		}
		for name, filters := range copyVariants(t, path) {
			t.Run(filepath.Base(path)+"/"+name, func(t *testing.T) {
				src, err := OpenFile(path)
				if err != nil {
					t.Fatal(err)
				}
				defer src.Close()
				want, err := collectRows(t, NewReader(src, WithFilters(filters()...)))
				if err != nil {
					t.Fatal(err)
				}

				src2, err := OpenFile(path)
				if err != nil {
					t.Fatal(err)
				}
				defer src2.Close()
				var out bytes.Buffer
				w := NewWriter(&out)
				st, err := Copy(ctx, w, NewReader(src2), filters()...)
				if err != nil {
					t.Fatal(err)
				}
				if err := w.Flush(); err != nil {
					t.Fatal(err)
				}
				if st.Kept == 0 {
					if out.Len() != 0 {
						t.Fatalf("nothing kept, %d bytes written", out.Len())
					}
					return
				}
				if name == "all" && st.Kept != st.Events {
					t.Fatalf("Copy kept %d of %d events without a filter", st.Kept, st.Events)
				}
				if w.Pos() != uint64(out.Len()) {
					t.Fatalf("Pos %d, wrote %d bytes", w.Pos(), out.Len())
				}
				got, err := collectRows(t, NewReader(NewStreamSource(bytes.NewReader(out.Bytes()), "copy")))
				if err != nil {
					t.Fatalf("reading the copy back: %v", err)
				}
				if len(got) != len(want) {
					t.Fatalf("copy has %d rows events, the filtered source %d", len(got), len(want))
				}
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("rows event %d: %s %v (%d bytes), want %s %v (%d bytes)", i, got[i].table, got[i].typ, len(got[i].body), want[i].table, want[i].typ, len(want[i].body))
					}
				}
				checkChain(t, out.Bytes())
			})
			copied++
		}
	}
	if copied == 0 {
		t.Fatal("no file was copied")
	}
}

// checkChain checks that every event's end_log_pos is where the next one
// starts, with checksums verified by the Reader.
func checkChain(t *testing.T, data []byte) {
	t.Helper()
	r := NewReader(NewStreamSource(bytes.NewReader(data), "copy"), WithPayloadExpansion(false))
	for {
		ev, err := r.Next(context.Background())
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if uint64(ev.Header.LogPos) != ev.NextPos {
			t.Fatalf("event %v at %d: end_log_pos %d, next event at %d", ev.Header.Type, ev.Pos, ev.Header.LogPos, ev.NextPos)
		}
		if ev.Header.Type == event.FormatDescriptionEvent && ev.Header.Flags&event.FlagBinlogInUse != 0 {
			t.Fatal("the copy's FORMAT_DESCRIPTION says the file is in use")
		}
	}
}

// TestCopyToWriterPayloads checks both ways a compressed transaction is
// written: as the events it holds when the Reader expands it, as it is
// otherwise.
func TestCopyToWriterPayloads(t *testing.T) {
	data := payloadBinlog(t, 5)
	for _, expand := range []bool{true, false} {
		var out bytes.Buffer
		w := NewWriter(&out)
		r := NewReader(NewStreamSource(bytes.NewReader(data), "p"), WithPayloadExpansion(expand))
		if _, err := Copy(context.Background(), w, r); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		payloads := 0
		rr := NewReader(NewStreamSource(bytes.NewReader(out.Bytes()), "copy"), WithPayloadExpansion(false))
		for {
			ev, err := rr.Next(context.Background())
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if ev.Header.Type == event.TransactionPayloadEvent {
				payloads++
			}
		}
		if want := map[bool]int{true: 0, false: 5}[expand]; payloads != want {
			t.Errorf("expand %v: %d payloads in the copy, want %d", expand, payloads, want)
		}
		want, err := collectRows(t, NewReader(NewStreamSource(bytes.NewReader(data), "p")))
		if err != nil {
			t.Fatal(err)
		}
		got, err := collectRows(t, NewReader(NewStreamSource(bytes.NewReader(out.Bytes()), "copy")))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) || len(got) == 0 {
			t.Fatalf("expand %v: %d rows events, want %d", expand, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("expand %v: rows event %d differs", expand, i)
			}
		}
	}
}

// TestCopyToWriterRefusesRowsWithoutTableMap checks that a rows event whose
// Table_map is unknown is an error, not a file that applies nothing.
func TestCopyToWriterRefusesRowsWithoutTableMap(t *testing.T) {
	w := NewWriter(io.Discard)
	fd := event.NewFormatDescription("8.0.40", event.ChecksumCRC32)
	ev := &event.Event{Header: event.Header{Type: event.WriteRowsEventV2}, Format: fd, Body: &event.Rows{Type: event.WriteRowsEventV2, TableID: 7}}
	err := w.WriteEvent(context.Background(), ev)
	if err == nil || !strings.Contains(err.Error(), "no Table_map for table id 7") {
		t.Fatalf("got %v", err)
	}
}

// TestCopyToWriterReadByMariaDB checks with mariadb-binlog that a filtered
// copy of a recorded MariaDB binlog that starts at a rows event is a binlog
// the server's own tool reads with its checksums and rows.
func TestCopyToWriterReadByMariaDB(t *testing.T) {
	tool, err := exec.LookPath("mariadb-binlog")
	if err != nil {
		t.Skip("mariadb-binlog is not installed")
	}
	path := recorded(t)[0]
	for name, filters := range copyVariants(t, path) {
		src, err := OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "copy.000001")
		f, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		w := NewWriter(f)
		_, err = Copy(context.Background(), w, NewReader(src), filters()...)
		src.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		text, err := exec.Command(tool, "--no-defaults", "--verify-binlog-checksum", "-vv", "--base64-output=decode-rows", out).CombinedOutput()
		if err != nil || strings.Contains(string(text), "ERROR") {
			t.Fatalf("%s: mariadb-binlog: %v\n%s", name, err, text)
		}
		if !strings.Contains(string(text), "### INSERT INTO") && !strings.Contains(string(text), "### UPDATE") && !strings.Contains(string(text), "### DELETE") {
			t.Errorf("%s: mariadb-binlog shows no rows", name)
		}
	}
}
