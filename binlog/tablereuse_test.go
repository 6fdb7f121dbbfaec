package binlog

import (
	"context"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

// reuseRun reads path with filters and returns a line per event, with every
// TABLE_MAP's decoded content (re-encoded, so that every field counts) and
// the table map of every rows event, and how many TABLE_MAPs were answered
// by an unchanged table map.
func reuseRun(t *testing.T, path string, filters []Filter) (lines []string, err error) {
	t.Helper()
	src, oerr := OpenFile(path)
	if oerr != nil {
		t.Fatal(oerr)
	}
	defer src.Close()
	r := NewReader(src, WithFilters(filters...))
	for ev, e := range r.Events(context.Background()) {
		if e != nil {
			return lines, e
		}
		line := fmt.Sprintf("%d/%d %v %08x", ev.Pos, ev.PayloadOffset, ev.Header.Type, crc32.ChecksumIEEE(ev.Raw))
		switch b := ev.Body.(type) {
		case *event.TableMap:
			enc, aerr := b.AppendBody(nil, ev.Format)
			line += fmt.Sprintf(" %x %v %s", enc, aerr, tableFingerprint(b))
			for _, o := range b.Optional {
				line += fmt.Sprintf(" %d:%x", o.Type, o.Value)
			}
		case *event.Rows:
			line += " " + tableFingerprint(ev.Table)
		}
		lines = append(lines, line)
	}
	return lines, nil
}

// A TABLE_MAP identical to the one in force is answered with the table map
// already decoded: every event, every table map's content and every rows
// event's table map are the same as when each TABLE_MAP is decoded anew, for
// every corpus file under the filter combinations of the early-filter tests.
func TestUnchangedTableMapReuse(t *testing.T) {
	defer func() { noTableMapReuse = false }()
	hits := 0
	for _, f := range allFiles(t) {
		names, pos, times := tableNames(t, f)
		combos := filterCombos(names, pos, times)
		combos["none"] = func() []Filter { return nil }
		for name, mk := range combos {
			noTableMapReuse = true
			want, wantErr := reuseRun(t, f, mk())
			noTableMapReuse = false
			got, gotErr := reuseRun(t, f, mk())
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Errorf("%s %s: error %v, without reuse %v", f, name, gotErr, wantErr)
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				for i := range min(len(got), len(want)) {
					if got[i] != want[i] {
						t.Errorf("%s %s: event %d:\n%s\nwithout reuse:\n%s", f, name, i, got[i], want[i])
						break
					}
				}
				t.Errorf("%s %s: %d events, without reuse %d", f, name, len(got), len(want))
			}
		}
		// The recordings log a TABLE_MAP per statement: the reuse is taken.
		src, err := OpenFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r := NewReader(src)
		var prev *event.TableMap
		for ev, e := range r.Events(context.Background()) {
			if e != nil {
				break
			}
			if tm, ok := ev.Body.(*event.TableMap); ok {
				if tm == r.tables[tm.TableID] && tm == prev {
					hits++
				}
				prev = tm
			}
		}
		src.Close()
	}
	if hits == 0 {
		t.Error("no TABLE_MAP was answered by the table map in force")
	}
}
