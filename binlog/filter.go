package binlog

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/binlogkit/binlogkit/event"
)

// Filter decides which events to keep. Keep is called in stream order, once
// per event, after the Reader has updated its own state, so filters may keep
// state of their own (a position range, a GTID). Filters look at headers and
// typed bodies only: a rows event is kept or dropped without reading a byte
// of its row images.
type Filter interface {
	Keep(ev *event.Event) bool
}

// FilterFunc adapts a function to Filter.
type FilterFunc func(ev *event.Event) bool

// Keep calls f.
func (f FilterFunc) Keep(ev *event.Event) bool { return f(ev) }

// All keeps an event when every filter keeps it. Every filter sees every
// event, so stateful filters stay in step. When every filter is an
// EarlyFilter, so is the result.
func All(filters ...Filter) Filter {
	a := &allFilter{filters: filters}
	for _, f := range filters {
		ef, ok := f.(EarlyFilter)
		if !ok {
			return FilterFunc(a.keepAll)
		}
		a.early = append(a.early, ef)
	}
	a.decided = make([]bool, len(filters))
	return a
}

// allFilter is All over EarlyFilters. When some of them cannot judge an
// event early, it remembers which did and what they said, and Keep asks
// only the others.
type allFilter struct {
	filters []Filter
	early   []EarlyFilter
	decided []bool
	pending bool // KeepEarly left the event undecided: Keep completes it
	keep    bool // the verdict of the filters that decided
}

func (a *allFilter) keepAll(ev *event.Event) bool {
	keep := true
	for _, f := range a.filters {
		if !f.Keep(ev) {
			keep = false
		}
	}
	return keep
}

func (a *allFilter) Keep(ev *event.Event) bool {
	if !a.pending {
		return a.keepAll(ev)
	}
	a.pending = false
	keep := a.keep
	for i, f := range a.filters {
		if !a.decided[i] && !f.Keep(ev) {
			keep = false
		}
	}
	return keep
}

func (a *allFilter) KeepEarly(ev *event.Event, t *TableName) (bool, bool) {
	keep, all := true, true
	for i, f := range a.early {
		k, d := f.KeepEarly(ev, t)
		a.decided[i] = d
		if !d {
			all = false
		} else if !k {
			keep = false
		}
	}
	if all {
		return keep, true
	}
	a.pending, a.keep = true, keep
	return false, false
}

// Not inverts a stateless filter. When f is an EarlyFilter, so is the
// result.
func Not(f Filter) Filter {
	if ef, ok := f.(EarlyFilter); ok {
		return notFilter{ef}
	}
	return FilterFunc(func(ev *event.Event) bool { return !f.Keep(ev) })
}

type notFilter struct{ f EarlyFilter }

func (n notFilter) Keep(ev *event.Event) bool { return !n.f.Keep(ev) }

func (n notFilter) KeepEarly(ev *event.Event, t *TableName) (bool, bool) {
	k, d := n.f.KeepEarly(ev, t)
	return !k, d
}

// PositionRange keeps the events from the one starting at start in startFile
// up to (not including) the one starting at or after stop in stopFile, as
// mysqlbinlog's --start-position and --stop-position do with several files:
// the start applies to startFile and the stop to stopFile. An empty file name
// means any file (the first one met); stop 0 means no stop.
type PositionRange struct {
	StartFile string
	Start     uint64
	StopFile  string
	Stop      uint64

	started, stopped bool
}

// Keep implements Filter.
func (p *PositionRange) Keep(ev *event.Event) bool {
	if p.stopped {
		return false
	}
	if !p.started {
		if (p.StartFile == "" || sameFile(ev.File, p.StartFile)) && ev.Pos >= p.Start {
			p.started = true
		} else {
			return false
		}
	}
	if p.Stop > 0 && (p.StopFile == "" || sameFile(ev.File, p.StopFile)) && ev.Pos >= p.Stop {
		p.stopped = true
		return false
	}
	return true
}

// KeepEarly implements EarlyFilter: positions are known before decoding.
func (p *PositionRange) KeepEarly(ev *event.Event, _ *TableName) (keep, decided bool) {
	return p.Keep(ev), true
}

// Done reports whether the stop position has been passed: no later event can
// be kept, so a caller may stop reading.
func (p *PositionRange) Done() bool { return p.stopped }

// sameFile compares file names, ignoring directories.
func sameFile(a, b string) bool { return a == b || path.Base(a) == path.Base(b) }

// TimeRange keeps events whose header timestamp is in [Start, Stop). A zero
// bound is open.
type TimeRange struct {
	Start, Stop time.Time
}

// Keep implements Filter.
func (t TimeRange) Keep(ev *event.Event) bool {
	ts := int64(ev.Header.Timestamp)
	if !t.Start.IsZero() && ts < t.Start.Unix() {
		return false
	}
	return t.Stop.IsZero() || ts < t.Stop.Unix()
}

// KeepEarly implements EarlyFilter: the timestamp is in the header.
func (t TimeRange) KeepEarly(ev *event.Event, _ *TableName) (keep, decided bool) {
	return t.Keep(ev), true
}

// ParseDateTime parses "YYYY-MM-DD HH:MM:SS" (or with a 'T', or just the
// date) in loc, the form mysqlbinlog's --start-datetime takes. The zone is
// explicit: binlog timestamps are UTC seconds and the answer must not depend on
// the host's zone setting unless the caller passes time.Local.
func ParseDateTime(s string, loc *time.Location) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02", "20060102150405"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("binlog: bad datetime %q: want YYYY-MM-DD HH:MM:SS", s)
}

// Types keeps events of the given types (and drops all others). The filter
// is an EarlyFilter.
func Types(types ...event.Type) Filter {
	f := &typeFilter{}
	for _, t := range types {
		f.set[t] = true
	}
	return f
}

// ExcludeTypes drops events of the given types. The filter is an
// EarlyFilter.
func ExcludeTypes(types ...event.Type) Filter {
	f := &typeFilter{exclude: true}
	for _, t := range types {
		f.set[t] = true
	}
	return f
}

type typeFilter struct {
	set     [256]bool
	exclude bool
}

func (f *typeFilter) Keep(ev *event.Event) bool { return f.set[ev.Header.Type] != f.exclude }

func (f *typeFilter) KeepEarly(ev *event.Event, _ *TableName) (bool, bool) { return f.Keep(ev), true }

// ServerIDs keeps events written by the given server ids. The filter is an
// EarlyFilter.
func ServerIDs(ids ...uint32) Filter { return serverIDs(ids) }

type serverIDs []uint32

func (s serverIDs) Keep(ev *event.Event) bool {
	for _, id := range s {
		if ev.Header.ServerID == id {
			return true
		}
	}
	return false
}

func (s serverIDs) KeepEarly(ev *event.Event, _ *TableName) (bool, bool) { return s.Keep(ev), true }

// TableFilter keeps or drops TABLE_MAP and rows events by "db.table" name
// patterns, where '*' matches any run of characters and '?' one (path.Match
// rules; a pattern without a dot names a database: "shop" = "shop.*").
// Matching is exact on bytes (names are compared as the server wrote them).
// An event is kept when it matches some Include pattern (or Include is empty)
// and no Exclude pattern. With Queries set, QUERY events are judged by
// their default database the same way (mysqlbinlog --database); other
// events always pass. The verdict for each table name is remembered, so
// Include and Exclude must not change once the filter is in use.
type TableFilter struct {
	Include, Exclude []string
	// Queries makes QUERY events subject to the database part of the patterns.
	Queries bool

	scratch []byte
	seen    map[string]bool // verdict per "db.table"
	// The last table judged ("db" NUL "table") and its verdict: a TABLE_MAP
	// and its rows events come one after the other.
	last     []byte
	lastKeep bool
}

// maxSeenTables bounds TableFilter's memory of verdicts.
const maxSeenTables = 4096

// NewTableFilter validates the patterns and returns a filter.
func NewTableFilter(include, exclude []string) (*TableFilter, error) {
	for _, p := range append(append([]string(nil), include...), exclude...) {
		if _, err := path.Match(p, ""); err != nil {
			return nil, fmt.Errorf("binlog: bad table pattern %q: %v", p, err)
		}
	}
	return &TableFilter{Include: normPatterns(include), Exclude: normPatterns(exclude)}, nil
}

func normPatterns(ps []string) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		if !strings.Contains(p, ".") {
			p += ".*"
		}
		out = append(out, p)
	}
	return out
}

// Keep implements Filter.
func (f *TableFilter) Keep(ev *event.Event) bool {
	var db, tbl []byte
	switch b := ev.Body.(type) {
	case *event.TableMap:
		db, tbl = b.Schema, b.Table
	case *event.Rows:
		if ev.Table == nil {
			return len(f.Include) == 0
		}
		db, tbl = ev.Table.Schema, ev.Table.Table
	default:
		if q, ok := b.(*event.Query); ok && f.Queries {
			return f.matchDB(q.Schema)
		}
		return true
	}
	return f.matchTable(db, tbl)
}

// KeepEarly implements EarlyFilter: TABLE_MAP and rows events are judged by
// their table's names; with Queries, other events wait for their decoded
// body (a QUERY's default database is in it).
func (f *TableFilter) KeepEarly(ev *event.Event, t *TableName) (keep, decided bool) {
	if typ := ev.Header.Type; typ == event.TableMapEvent || typ.IsRows() {
		if t == nil {
			return len(f.Include) == 0, true
		}
		return f.matchTable(t.Schema, t.Table), true
	}
	return true, !f.Queries
}

func (f *TableFilter) matchTable(db, tbl []byte) bool {
	if len(f.last) == len(db)+1+len(tbl) && string(f.last[:len(db)]) == string(db) && f.last[len(db)] == 0 && string(f.last[len(db)+1:]) == string(tbl) {
		return f.lastKeep
	}
	keep := f.matchName(db, tbl)
	f.last = append(append(append(f.last[:0], db...), 0), tbl...)
	f.lastKeep = keep
	return keep
}

func (f *TableFilter) matchName(db, tbl []byte) bool {
	f.scratch = append(append(append(f.scratch[:0], db...), '.'), tbl...)
	if keep, ok := f.seen[string(f.scratch)]; ok {
		return keep
	}
	keep := f.match(f.scratch)
	if f.seen == nil || len(f.seen) >= maxSeenTables {
		f.seen = make(map[string]bool)
	}
	f.seen[string(f.scratch)] = keep
	return keep
}

func (f *TableFilter) match(name []byte) bool {
	s := unsafeString(name)
	if len(f.Include) > 0 && !anyMatch(f.Include, s) {
		return false
	}
	return !anyMatch(f.Exclude, s)
}

// Match reports whether the filter keeps the rows of table db.table.
func (f *TableFilter) Match(db, table string) bool {
	return f.match([]byte(db + "." + table))
}

// MatchDatabase reports whether the filter may keep some table of database
// db (an Include pattern's database part matches it and no Exclude pattern
// drops the whole database).
func (f *TableFilter) MatchDatabase(db string) bool { return f.matchDB([]byte(db)) }

// matchDB judges a QUERY by its default database: it passes when some table
// of that database could pass.
func (f *TableFilter) matchDB(db []byte) bool {
	if len(f.Include) > 0 {
		ok := false
		for _, p := range f.Include {
			dbp, _, _ := strings.Cut(p, ".")
			if m, _ := path.Match(dbp, unsafeString(db)); m {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	for _, p := range f.Exclude {
		dbp, tp, _ := strings.Cut(p, ".")
		if m, _ := path.Match(dbp, unsafeString(db)); m && tp == "*" {
			return false
		}
	}
	return true
}

func anyMatch(patterns []string, s string) bool {
	for _, p := range patterns {
		if m, _ := path.Match(p, s); m {
			return true
		}
	}
	return false
}
