package mask

import (
	"context"
	"io"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// recordedEvents returns the events of a recording, cloned.
func recordedEvents(tb testing.TB, files ...string) []*event.Event {
	tb.Helper()
	r := binlog.NewReader(binlog.OpenFiles(files...))
	var evs []*event.Event
	for {
		ev, err := r.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Skipf("recording: %v", err)
		}
		evs = append(evs, ev.Clone())
	}
	return evs
}

var fullRecording = []string{"../testdata/recorded/mariadb-10_11-full.000001"}

// TestPassThroughAllocs: events of tables no rule touches cost no
// allocation, with or without a column-name function.
func TestPassThroughAllocs(t *testing.T) {
	evs := recordedEvents(t, fullRecording...)
	cfg, err := ParseRules([]byte("rules:\n  - column: shop.users.password\n    action: redact\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range [][]Option{nil, {WithColumnNames(func(db, table string) []string { return nil })}} {
		m, err := New(cfg, opts...)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range evs { // build the plans
			if _, err := m.Apply(ev); err != nil {
				t.Fatal(err)
			}
		}
		allocs := testing.AllocsPerRun(10, func() {
			for _, ev := range evs {
				if out, err := m.Apply(ev); err != nil || out != ev {
					t.Fatalf("%s changed or failed: %v", ev.Header.Type, err)
				}
			}
		})
		if allocs != 0 {
			t.Errorf("%d allocations per pass over %d events", int(allocs), len(evs))
		}
	}
}

// BenchmarkApply masks the events of the full recording (about 300 events,
// 160 rows of every column type) with rules that touch nothing, every text
// column (type rule), or only value patterns.
func BenchmarkApply(b *testing.B) {
	evs := recordedEvents(b, fullRecording...)
	size := 0
	for _, ev := range evs {
		size += len(ev.Raw)
	}
	for _, c := range []struct{ name, rules string }{
		{"none", "rules:\n  - column: shop.users.password\n    action: redact\n"},
		{"type-string-hash", "key: k\nrules:\n  - type: string\n    action: hash\n"},
		{"value-email-phone", "rules:\n  - value: email\n    action: redact\n  - value: phone\n    action: redact\n"},
	} {
		b.Run(c.name, func(b *testing.B) {
			m := mustMasker(b, c.rules)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				for _, ev := range evs {
					if _, err := m.Apply(ev); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
