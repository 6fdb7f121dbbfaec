package binlog

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

// FuzzReader feeds arbitrary bytes to the Reader. Invariants: it never
// panics; it ends with io.EOF or a positioned *Error; every event it returns
// lies inside the input at its reported position; Clone copies it exactly.
// Seeds are the corpus files (cut to 64 KiB) and fabricated streams.
func FuzzReader(f *testing.F) {
	f.Add(fabricate(f, 3, 20))
	f.Add(fabricate(f, 1, 0)[:40])
	if ents, err := os.ReadDir(sharedCorpus); err == nil {
		for _, e := range ents {
			data, err := os.ReadFile(sharedCorpus + "/" + e.Name())
			if err == nil && bytes.HasPrefix(data, event.Magic[:]) {
				f.Add(data[:min(len(data), 64<<10)])
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(NewStreamSource(bytes.NewReader(data), "fuzz"), WithMaxEventSize(1<<20))
		for ev, err := range r.Events(context.Background()) {
			if err != nil {
				if _, ok := AsError(err); !ok {
					t.Fatalf("error without a position: %v", err)
				}
				return
			}
			if ev.InPayload {
				continue
			}
			if ev.NextPos > uint64(len(data)) || !bytes.Equal(data[ev.Pos:ev.NextPos], ev.Raw) {
				t.Fatalf("event at %d..%d does not match the input", ev.Pos, ev.NextPos)
			}
			c := ev.Clone()
			if !bytes.Equal(c.Raw, ev.Raw) {
				t.Fatal("clone differs")
			}
		}
	})
}
