package binlog

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

func writeSample(t *testing.T, alg event.ChecksumAlg) []byte {
	t.Helper()
	var buf bytes.Buffer
	fd := event.NewFormatDescription("10.11.19-MariaDB-log", alg)
	h := event.Header{Timestamp: 1763721000, ServerID: 3}
	w := NewWriter(&buf)
	err := w.WriteBody(h, fd)
	if err != nil {
		t.Fatal(err)
	}
	for i := uint64(1); i <= 3; i++ {
		for _, b := range []event.Body{
			&event.MariaGTID{SeqNo: i},
			&event.Query{Schema: []byte("db"), Query: []byte("BEGIN")},
			&event.Query{Schema: []byte("db"), Query: []byte("INSERT INTO t VALUES (1)")},
			&event.XID{XID: 100 + i},
		} {
			if err := w.WriteBody(h, b); err != nil {
				t.Fatal(err)
			}
		}
	}
	if w.Pos() != uint64(buf.Len()) {
		t.Fatalf("Pos %d, wrote %d", w.Pos(), buf.Len())
	}
	return buf.Bytes()
}

// TestWriterReadBack writes a binlog with and without checksums and reads it
// back: end_log_pos chains, checksums verify, bodies decode to what was
// written.
func TestWriterReadBack(t *testing.T) {
	for _, alg := range []event.ChecksumAlg{event.ChecksumCRC32, event.ChecksumOff} {
		data := writeSample(t, alg)
		evs, err := readStream(t, data)
		if err != nil {
			t.Fatalf("%v: %v", alg, err)
		}
		if len(evs) != 13 {
			t.Fatalf("%v: %d events, want 13", alg, len(evs))
		}
		for _, ev := range evs {
			if uint64(ev.Header.LogPos) != ev.NextPos {
				t.Errorf("%v: event at %d has end_log_pos %d, want %d", alg, ev.Pos, ev.Header.LogPos, ev.NextPos)
			}
			// A checksum-aware FDE always carries the 4 checksum bytes.
			if ev.Header.Type != event.FormatDescriptionEvent && ev.HasChecksum() != (alg == event.ChecksumCRC32) {
				t.Errorf("%v: event at %d: checksum present %v", alg, ev.Pos, ev.HasChecksum())
			}
		}
		if x := evs[12].Body.(*event.XID); x.XID != 103 {
			t.Errorf("%v: last XID %d", alg, x.XID)
		}
	}
}

// TestWriterOutputReadByMariaDB checks that mariadb-binlog reads what the
// Writer fabricates, checksums included (skipped without the tool).
func TestWriterOutputReadByMariaDB(t *testing.T) {
	tool, err := exec.LookPath("mariadb-binlog")
	if err != nil {
		t.Skip("mariadb-binlog is not installed")
	}
	path := filepath.Join(t.TempDir(), "fab.000001")
	os.WriteFile(path, writeSample(t, event.ChecksumCRC32), 0o644)
	out, err := exec.Command(tool, "--no-defaults", "--verify-binlog-checksum", path).CombinedOutput()
	if err != nil || strings.Contains(string(out), "ERROR") {
		t.Fatalf("mariadb-binlog: %v\n%s", err, out)
	}
	for _, want := range []string{"GTID 0-3-3", "INSERT INTO t VALUES (1)", "Xid = 103"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("mariadb-binlog output lacks %q", want)
		}
	}
}
