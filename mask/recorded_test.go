package mask

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/internal/sensitivetest"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// textOf renders everything an output could print of an event: its raw
// bytes, statement texts, and every row value as text.
func textOf(t *testing.T, ev *event.Event) string {
	t.Helper()
	var b strings.Builder
	b.Write(ev.Raw)
	b.WriteByte('\n')
	switch x := ev.Body.(type) {
	case *event.Query:
		b.Write(x.Query)
	case *event.MariaAnnotateRows:
		b.Write(x.Query)
	case *event.UserVar:
		b.Write(x.Value)
	case *event.Rows:
		tab, err := rowcodec.NewTable(ev.Table)
		if err != nil {
			t.Fatal(err)
		}
		bv := make([]rowcodec.Value, len(tab.Columns))
		av := make([]rowcodec.Value, len(tab.Columns))
		it := tab.Rows(x, bv, av)
		for it.Next() {
			for _, img := range [][]rowcodec.Value{it.Before, it.After} {
				for i, v := range img {
					s, err := v.AppendText(nil, &tab.Columns[i])
					if err != nil {
						t.Fatal(err)
					}
					b.Write(s)
					b.WriteByte('|')
				}
			}
		}
		if err := it.Err(); err != nil {
			t.Fatal(err)
		}
	}
	b.WriteByte('\n')
	return b.String()
}

func recordedMasker(t *testing.T) *Masker {
	t.Helper()
	cfg, err := LoadFile(sensitivetest.Rules())
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRecordedSensitiveWorkload(t *testing.T) {
	for _, f := range sensitivetest.Files() {
		if _, err := os.Stat(f); err != nil {
			t.Skipf("recording missing: %v", err)
		}
	}
	values := sensitivetest.Values(t)
	ctx := context.Background()
	read := func(r *binlog.Reader, m *Masker) (string, []*event.Event) {
		var all strings.Builder
		var evs []*event.Event
		for {
			ev, err := r.Next(ctx)
			if err == io.EOF {
				return all.String(), evs
			}
			if err != nil {
				t.Fatal(err)
			}
			if m != nil {
				if ev, err = m.Apply(ev); err != nil {
					t.Fatal(err)
				}
			}
			all.WriteString(textOf(t, ev))
			evs = append(evs, ev.Clone())
		}
	}
	plain, plainEvs := read(binlog.NewReader(binlog.OpenFiles(sensitivetest.Files()...)), nil)
	// The unmasked text holds every value (the list is right).
	for _, v := range values {
		if !strings.Contains(plain, v) && !strings.Contains(plain, strings.NewReplacer(" ", "", "-", "", "+", "").Replace(v)) {
			t.Errorf("%q is not in the unmasked recording: fix the list", v)
		}
	}
	masked, evs := read(binlog.NewReader(binlog.OpenFiles(sensitivetest.Files()...)), recordedMasker(t))
	viaSource, srcEvs := read(binlog.NewReader(recordedMasker(t).Source(binlog.OpenFiles(sensitivetest.Files()...))), nil)
	for name, out := range map[string]string{"Apply": masked, "Source": viaSource} {
		for _, v := range values {
			if strings.Contains(out, v) {
				i := strings.Index(out, v)
				t.Errorf("%s: %q survived: …%q…", name, v, out[max(0, i-60):min(len(out), i+len(v)+20)])
			}
		}
	}
	// Positions are the file's, events and checksums are sound.
	if len(evs) != len(plainEvs) || len(srcEvs) != len(plainEvs) {
		t.Fatalf("%d/%d events masked, %d plain", len(evs), len(srcEvs), len(plainEvs))
	}
	for i := range evs {
		p, a, s := plainEvs[i], evs[i], srcEvs[i]
		if a.File != p.File || a.Pos != p.Pos || a.NextPos != p.NextPos || a.Header.LogPos != p.Header.LogPos ||
			s.File != p.File || s.Pos != p.Pos || s.NextPos != p.NextPos || s.Header.LogPos != p.Header.LogPos {
			t.Errorf("event %d (%s): positions %s:%d-%d/%d, Source %s:%d-%d/%d, want %s:%d-%d/%d", i, p.Header.Type,
				a.File, a.Pos, a.NextPos, a.Header.LogPos, s.File, s.Pos, s.NextPos, s.Header.LogPos, p.File, p.Pos, p.NextPos, p.Header.LogPos)
		}
		if string(a.Raw) != string(s.Raw) {
			t.Errorf("event %d: Apply and Source differ", i)
		}
	}
	// Equal values hash alike: alice.new@example.com is an email column
	// value (column rule) in two rows and a note substring (value rule).
	sum := sensitivetest.Hash("alice.new@example.com")
	if n := strings.Count(masked, sum); n < 4 {
		t.Errorf("hash of alice.new@example.com appears %d times, want at least 4 (update after image, note, insert of row 6, delete)", n)
	}
	// The orders rows without sensitive text pass through as they are.
	same := 0
	for i := range evs {
		if string(evs[i].Raw) == string(plainEvs[i].Raw) {
			same++
		}
	}
	if same == 0 || same == len(evs) {
		t.Errorf("%d of %d events unchanged", same, len(evs))
	}
}
