package flashback

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
)

// corpusDirs hold real binlogs: the team's shared corpus (absent in a fresh
// clone) and the project's recordings.
var corpusDirs = []string{"../../shared/testdata/binlogs", "../testdata/recorded"}

func flashbackBytes(t *testing.T, name string, in []byte) ([]byte, *Summary, error) {
	fb, err := New(Options{TempDir: t.TempDir(), SkipUnsafe: true, MemoryBudget: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer fb.Close()
	if err := fb.Add(context.Background(), binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(in), name))); err != nil {
		return nil, nil, err
	}
	var out bytes.Buffer
	if err := fb.WriteBinlog(&out); err != nil {
		return nil, nil, err
	}
	return out.Bytes(), fb.Summary(), nil
}

// TestCorpusInvolution flashes back every real binlog (skipping what cannot
// be undone), then the rollback, then that again: undoing is an involution
// on what can be undone, so the first and third rollbacks hold the same
// events byte for byte (after the FORMAT_DESCRIPTION, whose header carries
// the writing time), and every rollback verifies its CRC32s.
func TestCorpusInvolution(t *testing.T) {
	n := 0
	for _, dir := range corpusDirs {
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			name := e.Name()
			if e.IsDir() || name == "README.md" || name == "SHA256SUMS" || filepath.Ext(name) == ".txt" || filepath.Ext(name) == ".sql" {
				continue
			}
			in, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			r1, s1, err := flashbackBytes(t, name, in)
			if err != nil {
				t.Logf("%s: input not read: %v", name, err)
				continue
			}
			if s1.Transactions == 0 {
				continue
			}
			n++
			r2, s2, err := flashbackBytes(t, "r1", r1)
			if err != nil {
				t.Errorf("%s: rollback not read back: %v", name, err)
				continue
			}
			r3, _, err := flashbackBytes(t, "r2", r2)
			if err != nil {
				t.Errorf("%s: second rollback not read back: %v", name, err)
				continue
			}
			if s2.Transactions != s1.Transactions || s2.SkippedCount != 0 {
				t.Errorf("%s: rollback of rollback: %d transactions (%d skipped), want %d", name, s2.Transactions, s2.SkippedCount, s1.Transactions)
			}
			for tbl, c := range s1.Rows {
				c2 := s2.Rows[tbl]
				if c2 == nil || c2.Inserts != c.Deletes || c2.Deletes != c.Inserts || c2.Updates != c.Updates {
					t.Errorf("%s: %s: counts %+v then %+v", name, tbl, c, c2)
				}
			}
			fde := fdeEnd(t, r1)
			if fde != fdeEnd(t, r3) || !bytes.Equal(r1[fde:], r3[fde:]) {
				t.Errorf("%s: third rollback differs from the first", name)
			}
		}
	}
	if n == 0 {
		t.Skip("no corpus binlog with row changes")
	}
	t.Logf("%d corpus binlogs flashed back three times", n)
}

// fdeEnd returns the offset just past the FORMAT_DESCRIPTION.
func fdeEnd(t *testing.T, b []byte) int {
	r := binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(b), "x"))
	ev, err := r.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(ev.NextPos)
}
