package binlog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/event"
)

// slowOnly hides that a filter is an EarlyFilter, forcing the Reader to
// decode every event before judging it.
type slowOnly struct{ f Filter }

func (s slowOnly) Keep(ev *event.Event) bool { return s.f.Keep(ev) }

// filteredRun reads path through filters and returns one line per delivered
// event (position, type, raw bytes' CRC, and for rows events the table map
// they were decoded with), the Reader's Table for every table id seen, and the
// error that ended the read.
func filteredRun(t *testing.T, path string, filters []Filter, opts ...Option) (lines []string, tables string, err error) {
	t.Helper()
	src, oerr := OpenFile(path)
	if oerr != nil {
		t.Fatal(oerr)
	}
	defer src.Close()
	r := NewReader(src, append(opts, WithFilters(filters...))...)
	ids := map[uint64]bool{}
	for ev, e := range r.Events(context.Background()) {
		if e != nil {
			err = e
			break
		}
		line := fmt.Sprintf("%s@%d/%d %v %08x", ev.File, ev.Pos, ev.PayloadOffset, ev.Header.Type, crc32.ChecksumIEEE(ev.Raw))
		switch b := ev.Body.(type) {
		case *event.Rows:
			line += " " + tableFingerprint(ev.Table)
			ids[b.TableID] = true
		case *event.TableMap:
			ids[b.TableID] = true
		}
		lines = append(lines, line)
	}
	var sb strings.Builder
	for id := range ids {
		fmt.Fprintf(&sb, "%d=%s;", id, tableFingerprint(r.Table(id)))
	}
	return lines, sb.String(), err
}

func tableFingerprint(tm *event.TableMap) string {
	if tm == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%d %s.%s %x %x %x %d", tm.TableID, tm.Schema, tm.Table, tm.ColumnTypes, tm.Metadata, tm.NullBitmap, len(tm.Optional))
}

// tableNames returns the "db.table" names of a file's TABLE_MAPs and the
// positions of all its events.
func tableNames(t *testing.T, path string) (names []string, pos []uint64, times []uint32) {
	t.Helper()
	src, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	seen := map[string]bool{}
	for ev, err := range NewReader(src).Events(context.Background()) {
		if err != nil {
			break
		}
		if !ev.InPayload {
			pos = append(pos, ev.Pos)
			times = append(times, ev.Header.Timestamp)
		}
		if tm, ok := ev.Body.(*event.TableMap); ok {
			n := string(tm.Schema) + "." + string(tm.Table)
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	return names, pos, times
}

// filterCombos returns constructors of filter lists (fresh state each call)
// covering every early-capable filter, alone and combined.
func filterCombos(names []string, pos []uint64, times []uint32) map[string]func() []Filter {
	tf := func(inc, exc []string, queries bool) *TableFilter {
		f, err := NewTableFilter(inc, exc)
		if err != nil {
			panic(err)
		}
		f.Queries = queries
		return f
	}
	combos := map[string]func() []Filter{
		"exclude-tablemaps": func() []Filter { return []Filter{ExcludeTypes(event.TableMapEvent)} },
		"types-rows": func() []Filter {
			return []Filter{Types(event.WriteRowsEventV1, event.WriteRowsEventV2, event.UpdateRowsEventV1, event.UpdateRowsEventV2, event.DeleteRowsEventV1, event.DeleteRowsEventV2, event.QueryEvent)}
		},
		"server-ids":      func() []Filter { return []Filter{ServerIDs(1, 2, 100)} },
		"include-nothing": func() []Filter { return []Filter{tf([]string{"no_such_db"}, nil, false)} },
	}
	if len(pos) > 2 {
		mid := pos[len(pos)/3]
		end := pos[2*len(pos)/3]
		combos["position"] = func() []Filter { return []Filter{&PositionRange{Start: mid, Stop: end}} }
		ts := time.Unix(int64(times[len(times)/2]), 0)
		combos["time"] = func() []Filter { return []Filter{TimeRange{Start: ts}} }
		for i, n := range names {
			if i > 3 {
				break
			}
			n := n
			db, _, _ := strings.Cut(n, ".")
			combos["include-"+n] = func() []Filter { return []Filter{tf([]string{n}, nil, false)} }
			combos["exclude-"+n] = func() []Filter { return []Filter{tf(nil, []string{n}, false)} }
			combos["db-queries-"+n] = func() []Filter { return []Filter{tf([]string{db}, nil, true)} }
			combos["position+include-"+n] = func() []Filter {
				return []Filter{&PositionRange{Start: mid}, tf([]string{n}, nil, false), ExcludeTypes(event.XIDEvent)}
			}
			combos["all-"+n] = func() []Filter {
				return []Filter{All(tf([]string{db}, []string{n}, true), &PositionRange{Start: mid}, Not(Types(event.XIDEvent)))}
			}
			combos["all-then-more-"+n] = func() []Filter {
				return []Filter{All(tf(nil, []string{n}, false), ServerIDs(1, 100)), tf([]string{db}, nil, true)}
			}
			combos["include+no-tablemaps-"+n] = func() []Filter {
				return []Filter{tf([]string{n}, nil, true), ExcludeTypes(event.TableMapEvent)}
			}
		}
	}
	return combos
}

// TestEarlyFiltersMatchSlowPath checks that judging events before decoding
// them delivers exactly the events, table maps and errors of the decoding
// path, for every filter combination on every recorded binlog.
func TestEarlyFiltersMatchSlowPath(t *testing.T) {
	files := allFiles(t)
	for _, f := range files {
		names, pos, times := tableNames(t, f)
		for name, mk := range filterCombos(names, pos, times) {
			fast := mk()
			var slow []Filter
			for _, sf := range mk() {
				slow = append(slow, slowOnly{sf})
			}
			wantLines, wantTables, wantErr := filteredRun(t, f, slow)
			for _, skip := range []bool{false, true} {
				var opts []Option
				if skip {
					opts = append(opts, SkipDroppedChecksums())
				}
				if skip {
					fast = mk()
				}
				gotLines, gotTables, gotErr := filteredRun(t, f, fast, opts...)
				if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
					// The one allowed difference: the body of an event the
					// filters drop early is not decoded, so a decoding error
					// in it (not a checksum error) does not stop the read.
					var we *Error
					if !errors.As(wantErr, &we) || errors.Is(wantErr, ErrChecksum) || !strings.HasPrefix(strings.Join(gotLines, "\n"), strings.Join(wantLines, "\n")) ||
						deliveredAt(gotLines, f, we.Offset) {
						t.Errorf("%s %s skip=%v: error %v, slow path %v", f, name, skip, gotErr, wantErr)
					}
					continue
				}
				if strings.Join(gotLines, "\n") != strings.Join(wantLines, "\n") {
					t.Errorf("%s %s skip=%v: %d events differ from the slow path's %d", f, name, skip, len(gotLines), len(wantLines))
				}
				if gotTables != wantTables && !sameSet(gotTables, wantTables) {
					t.Errorf("%s %s skip=%v: Table() differs:\n%s\n%s", f, name, skip, gotTables, wantTables)
				}
			}
		}
	}
}

// deliveredAt reports whether lines hold the event at offset off of file.
func deliveredAt(lines []string, file string, off uint64) bool {
	prefix := fmt.Sprintf("%s@%d/", file, off)
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

func stripFile(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		_, out[i], _ = strings.Cut(l, "@")
	}
	return out
}

func sameSet(a, b string) bool {
	as, bs := strings.Split(a, ";"), strings.Split(b, ";")
	if len(as) != len(bs) {
		return false
	}
	m := map[string]int{}
	for _, s := range as {
		m[s]++
	}
	for _, s := range bs {
		m[s]--
	}
	for _, v := range m {
		if v != 0 {
			return false
		}
	}
	return true
}

// A corrupted event the filters drop is still reported while checksums are
// verified, and passes unnoticed only with SkipDroppedChecksums.
func TestEarlyDroppedChecksum(t *testing.T) {
	path := recordedCorpus + "/mariadb-10_11-full.000001"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	names, _, _ := tableNames(t, path)
	if len(names) < 2 {
		t.Fatalf("%s: want two tables, have %v", path, names)
	}
	// Find a rows event and a TABLE_MAP of a table other than names[0].
	src, _ := OpenFile(path)
	var targets, ends []uint64
	var types []event.Type
	r := NewReader(src)
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		var tm *event.TableMap
		switch b := ev.Body.(type) {
		case *event.TableMap:
			tm = b
		case *event.Rows:
			tm = ev.Table
		}
		if tm != nil && string(tm.Schema)+"."+string(tm.Table) != names[0] && len(targets) < 2 && (len(types) == 0 || types[0] != ev.Header.Type) {
			targets = append(targets, ev.Pos)
			ends = append(ends, ev.NextPos)
			types = append(types, ev.Header.Type)
		}
	}
	src.Close()
	if len(targets) != 2 {
		t.Fatalf("found %d target events", len(targets))
	}
	for i, off := range targets {
		bad := append([]byte(nil), data...)
		bad[ends[i]-event.ChecksumLen-1] ^= 0x40 // the body's last byte: past the names and table id
		p := writeTemp(t, "corrupt", bad)
		keep := func() []Filter {
			f, _ := NewTableFilter([]string{names[0]}, nil)
			return []Filter{f}
		}
		_, _, err := filteredRun(t, p, keep())
		var pe *Error
		if !errors.Is(err, ErrChecksum) || !errors.As(err, &pe) || pe.Offset != off || pe.Type != types[i] {
			t.Errorf("%v at %d corrupted: error %v, want a checksum error there", types[i], off, err)
		}
		lines, _, err := filteredRun(t, p, keep(), SkipDroppedChecksums())
		want, _, _ := filteredRun(t, path, keep())
		if err != nil || strings.Join(stripFile(lines), "\n") != strings.Join(stripFile(want), "\n") {
			t.Errorf("%v at %d corrupted, SkipDroppedChecksums: error %v, %d events, want %d", types[i], off, err, len(lines), len(want))
		}
	}
}

// FuzzEarlyFilters reads arbitrary bytes through filters that judge events
// before decoding them and through the same filters hidden behind slowOnly.
// Invariants: no panic; the early path delivers the decoding path's events
// in order; it ends with the same error, except that it may read on past a
// decoding error inside an event it dropped undecoded (never past a checksum
// error: dropped events are verified).
func FuzzEarlyFilters(f *testing.F) {
	for _, p := range recorded(f) {
		data, err := os.ReadFile(p)
		if err == nil {
			f.Add(uint8(0), data[:min(len(data), 32<<10)])
			f.Add(uint8(3), data[:min(len(data), 32<<10)])
		}
	}
	f.Add(uint8(1), fabricate(f, 3, 20))
	combos := []func() []Filter{
		func() []Filter { t, _ := NewTableFilter([]string{"binlogkit.nums"}, nil); return []Filter{t} },
		func() []Filter { t, _ := NewTableFilter(nil, []string{"binlogkit.*"}); return []Filter{t} },
		func() []Filter { return []Filter{ExcludeTypes(event.TableMapEvent, event.QueryEvent)} },
		func() []Filter {
			t, _ := NewTableFilter([]string{"binlogkit"}, []string{"*.nums"})
			t.Queries = true
			return []Filter{&PositionRange{Start: 1000}, All(t, Not(Types(event.XIDEvent)))}
		},
	}
	read := func(data []byte, filters []Filter) (lines []string, err error) {
		r := NewReader(NewStreamSource(bytes.NewReader(data), "fuzz"), WithMaxEventSize(1<<20), WithFilters(filters...))
		for ev, e := range r.Events(context.Background()) {
			if e != nil {
				return lines, e
			}
			line := fmt.Sprintf("%d/%d %v %x", ev.Pos, ev.PayloadOffset, ev.Header.Type, ev.Raw)
			if ev.Table != nil {
				line += " " + tableFingerprint(ev.Table)
			}
			lines = append(lines, line)
		}
		return lines, nil
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		mk := combos[int(which)%len(combos)]
		var slow []Filter
		for _, sf := range mk() {
			slow = append(slow, slowOnly{sf})
		}
		want, wantErr := read(data, slow)
		got, gotErr := read(data, mk())
		if fmt.Sprint(gotErr) == fmt.Sprint(wantErr) {
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("%d events, decoding first %d", len(got), len(want))
			}
			return
		}
		if wantErr == nil || errors.Is(wantErr, ErrChecksum) || len(got) < len(want) || strings.Join(got[:len(want)], "\n") != strings.Join(want, "\n") {
			t.Fatalf("early path: %d events, %v; decoding first: %d events, %v", len(got), gotErr, len(want), wantErr)
		}
	})
}
