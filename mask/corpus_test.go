package mask

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

const sharedCorpus = "../../shared/testdata/binlogs"

// corpusFiles returns the project's recordings and, when present, the
// shared corpus of real binlogs.
func corpusFiles(t *testing.T) []string {
	var out []string
	for _, dir := range []string{"../testdata/recorded", sharedCorpus} {
		ents, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range ents {
			n := e.Name()
			if e.IsDir() || n == "README.md" || n == "SHA256SUMS" || filepath.Ext(n) == ".txt" || filepath.Ext(n) == ".sql" {
				continue
			}
			if n == "mariadb-10_11-hires.000002" {
				continue // its rows need their table's definition: TestHiresRecorded
			}
			out = append(out, filepath.Join(dir, n))
		}
	}
	if len(out) == 0 {
		t.Skip("no binlogs found")
	}
	return out
}

// everyTypeRules masks every column type with some action.
const everyTypeRules = `key: k
rules:
  - type: string
    action: redact
  - type: bytes
    action: hash
  - type: number
    action: redact
  - type: temporal
    action: hash
  - type: json
    action: keep_last
    keep: 3
  - type: enum
    action: hash
  - type: set
    action: hash
  - type: bit
    action: hash
  - type: geometry
    action: redact
  - type: vector
    action: redact
  - value: email
    action: hash
`

// TestCorpus masks every column of every real binlog available, reads the
// masked stream back through a Reader over Masker.Source and checks that
// it has the same events at the same positions, that every row decodes,
// and that text and integer columns hold masked values only.
func TestCorpus(t *testing.T) {
	ctx := context.Background()
	for _, f := range corpusFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			type pos struct {
				typ            event.Type
				file           string
				at, next, logp uint64
			}
			var plain []pos
			r := binlog.NewReader(binlog.OpenFiles(f))
			var plainErr error
			for {
				ev, err := r.Next(ctx)
				if err != nil {
					if err != io.EOF {
						plainErr = err
					}
					break
				}
				if _, ok := ev.Body.(*event.TransactionPayload); ok {
					continue // Source yields its inner events instead
				}
				plain = append(plain, pos{ev.Header.Type, ev.File, ev.Pos, ev.NextPos, uint64(ev.Header.LogPos)})
			}
			m := mustMasker(t, everyTypeRules)
			mr := binlog.NewReader(m.Source(binlog.OpenFiles(f)))
			var i, rows int
			for ; ; i++ {
				ev, err := mr.Next(ctx)
				if err == io.EOF {
					break
				}
				if err != nil {
					if plainErr == nil || i != len(plain) {
						if errors.Is(err, event.ErrUnsupported) {
							t.Skipf("event %d: %v", i, err)
						}
						t.Fatalf("event %d: %v (unmasked: %d events, err %v)", i, err, len(plain), plainErr)
					}
					return
				}
				if i >= len(plain) {
					t.Fatalf("more events masked than plain")
				}
				p := plain[i]
				if p.typ != ev.Header.Type || p.file != ev.File || p.at != ev.Pos || p.next != ev.NextPos || p.logp != uint64(ev.Header.LogPos) {
					t.Fatalf("event %d: %s %s:%d-%d/%d, want %s %s:%d-%d/%d", i, ev.Header.Type, ev.File, ev.Pos, ev.NextPos, ev.Header.LogPos, p.typ, p.file, p.at, p.next, p.logp)
				}
				rb, ok := ev.Body.(*event.Rows)
				if !ok || ev.Table == nil {
					continue
				}
				tab, err := rowcodec.NewTable(ev.Table)
				if err != nil {
					t.Fatal(err)
				}
				b := make([]rowcodec.Value, len(tab.Columns))
				a := make([]rowcodec.Value, len(tab.Columns))
				it := tab.Rows(rb, b, a)
				for it.Next() {
					rows++
					for _, img := range [][]rowcodec.Value{it.Before, it.After} {
						for c, v := range img {
							checkMasked(t, &tab.Columns[c], v)
						}
					}
				}
				if err := it.Err(); err != nil {
					t.Fatalf("event %d (%s at %d): %v", i, ev.Header.Type, ev.Pos, err)
				}
			}
			if i != len(plain) {
				t.Fatalf("%d events masked, %d plain", i, len(plain))
			}
			t.Logf("%d events, %d rows", i, rows)
		})
	}
}

// checkMasked fails when a text or integer value is not what the
// everyTypeRules actions write.
func checkMasked(t *testing.T, c *rowcodec.Column, v rowcodec.Value) {
	t.Helper()
	switch v.Kind() {
	case rowcodec.KindString:
		if f := formOf(v); (f == formUTF8 || f == formSingle) && !strings.HasPrefix("***", string(v.Bytes())) && string(v.Bytes()) != "null" {
			t.Fatalf("column %d (%s): text %q not redacted", c.Index, c.Name, v.Bytes())
		}
	case rowcodec.KindInt, rowcodec.KindUint:
		if v.Uint64() != 0 {
			t.Fatalf("column %d (%s): integer %d not redacted", c.Index, c.Name, v.Int64())
		}
	case rowcodec.KindJSONDiff:
		// keep_last 3 of the everyTypeRules: each new value a JSON string.
		for d, err := range v.JSONDiffs() {
			if err != nil {
				t.Fatal(err)
			}
			if d.Op == rowcodec.JSONDiffRemove {
				continue
			}
			text, err := rowcodec.JSONBinaryValue(d.Value).AppendJSONText(nil)
			if err != nil || text[0] != '"' {
				t.Fatalf("column %d (%s): JSON diff value %s not masked (%v)", c.Index, c.Name, text, err)
			}
		}
	}
}
