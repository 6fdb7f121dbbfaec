package binlog

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

const (
	recorded1 = "../testdata/recorded/mariadb-10_11-full.000001"
	recorded2 = "../testdata/recorded/mariadb-10_11-full.000002"
)

// boundaries returns the event starts of a file and its end.
func boundaries(t *testing.T, path string) (starts []uint64, end uint64) {
	t.Helper()
	r := NewReader(OpenFiles(path))
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if !ev.InPayload {
			starts = append(starts, ev.Pos)
			end = ev.NextPos
		}
	}
	return starts, end
}

// readRange reads the files through p, with the Reader's early path (early)
// or with Keep on each event, and returns where the kept events are.
func readRange(t *testing.T, p *PositionRange, early bool, files ...string) []string {
	t.Helper()
	var opts []Option
	if early {
		opts = append(opts, WithFilters(p))
	}
	r := NewReader(OpenFiles(files...), opts...)
	var kept []string
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if !early {
			if !p.Keep(ev) {
				if p.Done() {
					break
				}
				continue
			}
		}
		kept = append(kept, fmt.Sprintf("%s:%d", filepath.Base(ev.File), ev.Pos))
	}
	return kept
}

// TestPositionRangeBoundaries: --start-position applies to the first file
// and --stop-position to the last; a position inside an event or past the
// end of its file stops the range with a *PositionError naming the file and
// the boundaries around it, before anything after it is kept.
func TestPositionRangeBoundaries(t *testing.T) {
	s1, end1 := boundaries(t, recorded1)
	s2, end2 := boundaries(t, recorded2)
	n1, n2 := filepath.Base(recorded1), filepath.Base(recorded2)
	mid1, mid2 := s1[len(s1)/2], s2[len(s2)/2]
	next1 := s1[len(s1)/2+1]
	next2 := s2[len(s2)/2+1]
	for _, c := range []struct {
		name  string
		p     PositionRange
		first string // first kept event, "" for none
		last  string // last kept event
		err   string // Err's message, "" for none
	}{
		{"boundaries", PositionRange{StartFile: n1, Start: mid1, StopFile: n2, Stop: mid2},
			fmt.Sprintf("%s:%d", n1, mid1), fmt.Sprintf("%s:%d", n2, s2[len(s2)/2-1]), ""},
		{"start inside an event", PositionRange{StartFile: n1, Start: mid1 + 1, StopFile: n2, Stop: mid2}, "", "",
			fmt.Sprintf("%s: start position %d is not an event boundary: it falls inside the TABLE_MAP_EVENT", n1, mid1+1) +
				fmt.Sprintf(" at %d; the nearest boundaries are %d and %d", mid1, mid1, next1)},
		// Finding 3 of issue 18: a position of the second file given for
		// the first selected nothing, silently.
		{"start past the end of the first file", PositionRange{StartFile: n1, Start: end1 + 100, StopFile: n2}, "", "",
			fmt.Sprintf("%s: start position %d is past the end of the file, which ends at byte %d", n1, end1+100, end1)},
		{"start at the end of the first file", PositionRange{StartFile: n1, Start: end1, StopFile: n2},
			n2 + ":4", fmt.Sprintf("%s:%d", n2, s2[len(s2)-1]), ""},
		{"stop inside an event", PositionRange{StartFile: n1, StopFile: n2, Stop: mid2 + 2}, n1 + ":4",
			fmt.Sprintf("%s:%d", n2, s2[len(s2)/2-1]),
			fmt.Sprintf("%s: stop position %d is not an event boundary: it falls inside the GTID_EVENT", n2, mid2+2) +
				fmt.Sprintf(" at %d; the nearest boundaries are %d and %d", mid2, mid2, next2)},
		{"stop past the end of the last file", PositionRange{StartFile: n1, StopFile: n2, Stop: end2 + 1}, n1 + ":4",
			fmt.Sprintf("%s:%d", n2, s2[len(s2)-1]),
			fmt.Sprintf("%s: stop position %d is past the end of the file, which ends at byte %d", n2, end2+1, end2)},
		{"stop at the end of the last file", PositionRange{StartFile: n1, StopFile: n2, Stop: end2}, n1 + ":4",
			fmt.Sprintf("%s:%d", n2, s2[len(s2)-1]), ""},
		{"unnamed files: the start applies to the first", PositionRange{Start: end1 + 4}, "", "",
			fmt.Sprintf("%s: start position %d is past the end of the file", n1, end1+4)},
		{"a stop file the input lacks", PositionRange{StartFile: n1, Start: mid1, StopFile: "mariadb-10_11-full.000009", Stop: 4},
			fmt.Sprintf("%s:%d", n1, mid1), fmt.Sprintf("%s:%d", n2, s2[len(s2)-1]), "the input holds no file mariadb-10_11-full.000009"},
	} {
		for _, early := range []bool{false, true} {
			p := c.p
			kept := readRange(t, &p, early, recorded1, recorded2)
			first, last := "", ""
			if len(kept) > 0 {
				first, last = kept[0], kept[len(kept)-1]
			}
			if first != c.first || last != c.last {
				t.Errorf("%s (early %v): kept %s … %s, want %s … %s", c.name, early, first, last, c.first, c.last)
			}
			err := p.Err()
			if c.err == "" && err != nil || c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
				t.Errorf("%s (early %v): Err() = %v, want %q", c.name, early, err, c.err)
			}
			var pe *PositionError
			if err != nil && strings.Contains(c.err, "position") && !errors.As(err, &pe) {
				t.Errorf("%s: %T is not a *PositionError", c.name, err)
			}
		}
	}
	// A single file: the start and the stop apply to it.
	p := PositionRange{Start: mid1, Stop: next1}
	if kept := readRange(t, &p, false, recorded1); len(kept) != 1 || p.Err() != nil {
		t.Errorf("one event: %v, %v", kept, p.Err())
	}
}

// TestTableFilterStatements: with Queries, statement text is judged by the
// tables it names, so a filter on one table shows no statement of another
// (issue 18, finding 6: "#Q>" lines of other tables).
func TestTableFilterStatements(t *testing.T) {
	query := func(schema, stmt string) *event.Event {
		return &event.Event{Header: event.Header{Type: event.QueryEvent}, Body: &event.Query{Schema: []byte(schema), Query: []byte(stmt)}}
	}
	annotate := func(stmt string) *event.Event {
		return &event.Event{Header: event.Header{Type: event.MariaAnnotateRowsEvent}, Body: &event.MariaAnnotateRows{Query: []byte(stmt)}}
	}
	rowsQuery := func(stmt string) *event.Event {
		return &event.Event{Header: event.Header{Type: event.RowsQueryEvent}, Body: &event.RowsQuery{Query: []byte(stmt)}}
	}
	f, err := NewTableFilter([]string{"shop.orders", "app_*.t"}, []string{"*.secret"})
	if err != nil {
		t.Fatal(err)
	}
	f.Queries = true
	for _, c := range []struct {
		what string
		ev   *event.Event
		keep bool
	}{
		{"DDL of a kept table", query("shop", "ALTER TABLE orders ADD c INT"), true},
		{"DDL of a kept table, qualified, from another database", query("other", "ALTER TABLE shop.orders ADD c INT"), true},
		{"DDL of another table of the kept database", query("shop", "CREATE TABLE nosuch (a INT)"), false},
		{"DROP of a kept and another table", query("x", "DROP TABLE x.y, shop.orders"), true},
		{"RENAME into a kept table", query("shop", "RENAME TABLE tmp TO orders"), true},
		{"statement-format DML of another table", query("shop", "INSERT INTO nopk VALUES (3)"), false},
		{"statement-format DML of a kept table", query("app_1", "UPDATE t SET a = 1"), true},
		{"CREATE DATABASE of a kept table's database", query("", "CREATE DATABASE shop"), true},
		{"CREATE DATABASE of another", query("", "CREATE DATABASE other"), false},
		{"a statement without tables, judged by its database", query("shop", "CREATE USER repl@'%'"), true},
		{"a statement without tables in another database", query("", "CREATE USER repl@'%'"), false},
		{"BEGIN in another database", query("other", "BEGIN"), true},
		{"COMMIT", query("", "COMMIT"), true},
		{"XA END", query("", "XA END 'x'"), true},
		{"annotation of another table", annotate("INSERT INTO nopk VALUES (3, 'restart')"), false},
		{"annotation of a kept table's name", annotate("DELETE FROM orders WHERE id = 2"), true},
		{"annotation qualified", annotate("DELETE FROM other.orders WHERE id = 2"), false},
		{"annotation that cannot be told", annotate("UPDATE a JOIN b ON a.id = b.id SET a.x = 1"), false},
		{"MySQL Rows_query of another table", rowsQuery("UPDATE tx SET v = 1"), false},
		{"MySQL Rows_query of a kept table", rowsQuery("/* app */ INSERT INTO app_7.t VALUES (1)"), true},
		{"XID", &event.Event{Header: event.Header{Type: event.XIDEvent}, Body: &event.XID{}}, true},
	} {
		if got := f.Keep(c.ev); got != c.keep {
			t.Errorf("%s: Keep = %v, want %v", c.what, got, c.keep)
		}
	}
	// Exclusions only: what cannot be told passes, an excluded table does not.
	g, _ := NewTableFilter(nil, []string{"*.secret"})
	g.Queries = true
	for stmt, keep := range map[string]bool{"INSERT INTO secret VALUES (1)": false, "UPDATE a JOIN b SET x = 1": true, "INSERT INTO public VALUES (1)": true} {
		if got := g.Keep(annotate(stmt)); got != keep {
			t.Errorf("exclusions only: %q: Keep = %v, want %v", stmt, got, keep)
		}
	}
}
