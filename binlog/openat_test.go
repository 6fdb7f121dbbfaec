package binlog

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestOpenFileAt starts a Reader at every transaction of a recorded binlog,
// plain and gzip-compressed, and checks that it yields the same events, at the
// same positions, as reading the whole file.
func TestOpenFileAt(t *testing.T) {
	src := filepath.Join("..", "testdata", "recorded", "mariadb-10_11-full.000001")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Skipf("recorded binlog absent: %v", err)
	}
	dir := t.TempDir()
	plain := filepath.Join(dir, "b.000001")
	if err := os.WriteFile(plain, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	packed := filepath.Join(dir, "c.000001")
	if err := os.WriteFile(packed, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	// A .partial file is read through a buffer, not mapped.
	partial := filepath.Join(dir, "d.000001.partial")
	if err := os.WriteFile(partial, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	type rec struct {
		pos uint64
		raw []byte
	}
	type txRec struct {
		pos, end uint64
		events   []rec
	}
	var txs []txRec
	s, err := OpenFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	for tx, err := range NewReader(s).Transactions(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		tr := txRec{pos: tx.Pos}
		for ev, err := range tx.Events() {
			if err != nil {
				t.Fatal(err)
			}
			tr.events = append(tr.events, rec{ev.Pos, bytes.Clone(ev.Raw)})
		}
		tr.end = tx.EndPos
		txs = append(txs, tr)
	}
	s.Close()
	if len(txs) < 10 {
		t.Fatalf("only %d transactions in %s", len(txs), src)
	}

	for _, path := range []string{plain, packed, partial} {
		for i, want := range txs {
			s, err := OpenFileAt(path, want.pos)
			if err != nil {
				t.Fatalf("%s: OpenFileAt(%d): %v", path, want.pos, err)
			}
			r := NewReader(s)
			first, err := r.Next(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if i > 0 && first.Pos != 4 {
				t.Fatalf("first event at %d, want the FORMAT_DESCRIPTION at 4", first.Pos)
			}
			if i == 0 {
				// Offset 4 reads the whole file: the first event is the transaction.
				if first.Pos != want.pos || !bytes.Equal(first.Raw, want.events[0].raw) {
					t.Fatalf("offset 4: first event at %d differs", first.Pos)
				}
				s.Close()
				continue
			}
			for j, we := range want.events {
				ev, err := r.Next(ctx)
				if err != nil {
					t.Fatalf("%s tx at %d event %d: %v", path, want.pos, j, err)
				}
				if ev.Pos != we.pos || !bytes.Equal(ev.Raw, we.raw) {
					t.Fatalf("%s tx at %d event %d: got pos %d (%d bytes), want pos %d (%d bytes)", path, want.pos, j, ev.Pos, len(ev.Raw), we.pos, len(we.raw))
				}
			}
			s.Close()
		}
	}

	if _, err := OpenFileAt(plain, 10); err == nil {
		t.Error("offset inside the first event accepted")
	}
	for _, path := range []string{plain, packed, partial} {
		if _, err := OpenFileAt(path, uint64(len(data))+100); !errors.Is(err, ErrTruncated) {
			t.Errorf("%s, offset past the end: %v, want ErrTruncated", path, err)
		}
	}
}
