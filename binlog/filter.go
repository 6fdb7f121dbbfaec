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

// PositionRange keeps the events from the one starting at Start in StartFile
// up to (not including) the one starting at or after Stop in StopFile, as
// mysqlbinlog's --start-position and --stop-position do with several files:
// the start applies to StartFile and the stop to StopFile. An empty
// StartFile means the first file met, an empty StopFile any file; Start 0
// means the start of the input and Stop 0 no stop.
//
// A position must be an event boundary of its file: the offset where an
// event starts or where the file ends. The range checks this as it reads
// (no second pass over the input, so it works on compressed, encrypted and
// streamed input alike): a Start or Stop inside an event stops the range at
// that event, before it is kept, and Err reports it with the boundaries
// around it; a Start past the end of its file is found when the next file
// starts or the input ends, and so is a Stop past the end of StopFile.
// Events a server sends that are not in its files (flagged artificial, and
// the ROTATE and FORMAT_DESCRIPTION that open a dump) are not taken for
// boundaries.
type PositionRange struct {
	StartFile string
	Start     uint64
	StopFile  string
	Stop      uint64

	started, stopped bool
	err              error
	ended            bool
	// The file whose events are being read, the first one, and the offset
	// just past its last event (an event boundary).
	file, first string
	fileEnd     uint64
	sawStart    bool // an event of the start file was seen
	sawStop     bool // an event of a named StopFile was seen
}

// PositionError reports a position that is not an event boundary of its
// file: inside an event (Before and After are where that event starts and
// ends, the nearest boundaries), or past the end of the file (PastEnd;
// Before is the end of the file, its size for a plain file).
type PositionError struct {
	File string
	// What is "start" or "stop": which end of a PositionRange it is.
	What    string
	Pos     uint64
	Before  uint64
	After   uint64
	Type    event.Type // of the event Pos falls in
	PastEnd bool
}

// Error says the file, the position and the boundaries around it.
func (e *PositionError) Error() string {
	if e.PastEnd {
		return fmt.Sprintf("%s: %s position %d is past the end of the file, which ends at byte %d", e.File, e.What, e.Pos, e.Before)
	}
	return fmt.Sprintf("%s: %s position %d is not an event boundary: it falls inside the %v at %d; the nearest boundaries are %d and %d", e.File, e.What, e.Pos, e.Type, e.Before, e.Before, e.After)
}

// Keep implements Filter.
func (p *PositionRange) Keep(ev *event.Event) bool {
	if p.stopped {
		return false
	}
	if !ev.InPayload && !notInFile(ev) {
		p.track(ev)
		if p.stopped {
			return false
		}
	}
	if !p.started {
		if p.isStartFile(ev.File) && ev.Pos >= p.Start {
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

// track follows the event boundaries of the files and checks the positions
// against them.
func (p *PositionRange) track(ev *event.Event) {
	if ev.File != p.file || p.first == "" {
		if p.first == "" {
			p.first = ev.File
		} else {
			p.endFile(false)
			if p.stopped {
				return
			}
		}
		p.file, p.fileEnd = ev.File, 0
		if p.isStartFile(ev.File) {
			p.sawStart = true
		}
		if p.StopFile != "" && sameFile(ev.File, p.StopFile) {
			p.sawStop = true
		}
	}
	inside := func(pos uint64) bool { return ev.Pos < pos && pos < ev.NextPos }
	switch {
	case !p.started && p.Start > 0 && p.isStartFile(ev.File) && inside(p.Start):
		p.fail(&PositionError{File: ev.File, What: "start", Pos: p.Start, Before: ev.Pos, After: ev.NextPos, Type: ev.Header.Type})
	case p.Stop > 0 && (p.StopFile == "" || sameFile(ev.File, p.StopFile)) && inside(p.Stop):
		p.fail(&PositionError{File: ev.File, What: "stop", Pos: p.Stop, Before: ev.Pos, After: ev.NextPos, Type: ev.Header.Type})
	}
	p.fileEnd = ev.NextPos
}

// endFile checks the positions against the end of the file just read; last
// says the input has ended.
func (p *PositionRange) endFile(last bool) {
	if p.file == "" {
		return
	}
	if !p.started && p.isStartFile(p.file) {
		if p.Start > p.fileEnd {
			p.fail(&PositionError{File: p.file, What: "start", Pos: p.Start, Before: p.fileEnd, PastEnd: true})
			return
		}
		// A start at the end of the file is the start of the next one.
		p.started = true
	}
	if p.Stop > 0 && p.Stop > p.fileEnd && !p.stopped &&
		(p.StopFile != "" && sameFile(p.file, p.StopFile) || p.StopFile == "" && last) {
		p.fail(&PositionError{File: p.file, What: "stop", Pos: p.Stop, Before: p.fileEnd, PastEnd: true})
	}
}

func (p *PositionRange) fail(err error) {
	if p.err == nil {
		p.err = err
	}
	p.stopped = true
}

// isStartFile reports whether file is the one Start applies to.
func (p *PositionRange) isStartFile(file string) bool {
	if p.StartFile == "" {
		return p.first == "" || file == p.first
	}
	return sameFile(file, p.StartFile)
}

// KeepEarly implements EarlyFilter: positions are known before decoding.
func (p *PositionRange) KeepEarly(ev *event.Event, _ *TableName) (keep, decided bool) {
	return p.Keep(ev), true
}

// Done reports whether the stop position has been passed, or a position
// found wrong (see Err): no later event can be kept, so a caller may stop
// reading.
func (p *PositionRange) Done() bool { return p.stopped }

// Err returns the *PositionError that stopped the range, or nil. Call it
// after the last event (or once Done is true): it then also checks the
// positions against the end of the last file read, and reports a named
// StartFile or StopFile that the input did not hold.
func (p *PositionRange) Err() error {
	if p.err != nil || p.ended {
		return p.err
	}
	p.ended = true
	if !p.stopped {
		p.endFile(true)
	}
	if p.err == nil && p.StartFile != "" && !p.sawStart {
		p.err = fmt.Errorf("binlog: the input holds no file %s (the start position's file)", p.StartFile)
	}
	if p.err == nil && !p.stopped && p.StopFile != "" && !p.sawStop {
		p.err = fmt.Errorf("binlog: the input holds no file %s (the stop position's file)", p.StopFile)
	}
	return p.err
}

// notInFile reports the events a server sends that are not in its binlog
// files: those flagged artificial, the ROTATE naming the file at the start
// of a dump, the FORMAT_DESCRIPTION sent again when a dump starts inside a
// file, and anything placed before the first event.
func notInFile(ev *event.Event) bool {
	h := ev.Header
	switch {
	case h.Flags&event.FlagArtificial != 0, ev.Pos < event.MagicLen:
		return true
	case h.Type == event.RotateEvent:
		return h.LogPos == 0 || h.Timestamp == 0
	case h.Type == event.FormatDescriptionEvent:
		return h.LogPos == 0 || ev.Pos != event.MagicLen
	}
	return false
}

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
// and no Exclude pattern. The verdict for each table name is remembered, so
// Include and Exclude must not change once the filter is in use.
//
// With Queries set, statement text is judged too, so that a filter on some
// tables shows no other table's statements:
//
//   - a QUERY event by the tables its statement names (event.StatementTables,
//     unqualified names in its default database), kept when one of them
//     passes; a statement on a database (CREATE DATABASE) passes when some
//     table of that database could; a statement whose tables cannot be told
//     (GRANT, CREATE USER, a multi-table UPDATE with JOIN) by its default
//     database, as mysqlbinlog --database does. Transaction control (BEGIN,
//     COMMIT, ROLLBACK, SAVEPOINT, XA) always passes: it frames the kept
//     events.
//   - ANNOTATE_ROWS (MariaDB) and ROWS_QUERY (MySQL) events, which show the
//     statement of the rows events after them, by the tables their statement
//     names; as they carry no default database, an unqualified name passes
//     when some Include pattern's table part matches it. Without Include
//     patterns one whose tables cannot be told passes; with them it is
//     dropped (the rows events it annotates are judged by their Table_map).
//
// Other events always pass.
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
	case *event.Unknown:
		if !b.Type.IsRows() {
			return true
		}
		// A rows event left undecoded: judged by its table all the same.
		if ev.Table == nil {
			return len(f.Include) == 0
		}
		db, tbl = ev.Table.Schema, ev.Table.Table
	case *event.Query:
		if !f.Queries {
			return true
		}
		return f.matchQuery(b)
	case *event.MariaAnnotateRows:
		return !f.Queries || f.matchAnnotation(b.Query)
	case *event.RowsQuery:
		return !f.Queries || f.matchAnnotation(b.Query)
	default:
		return true
	}
	return f.matchTable(db, tbl)
}

// matchQuery judges a QUERY event: see TableFilter.
func (f *TableFilter) matchQuery(q *event.Query) bool {
	switch q.Statement().Kind {
	case event.StatementBegin, event.StatementCommit, event.StatementRollback, event.StatementSavepoint, event.StatementXA:
		return true
	}
	refs, ok := event.StatementTables(q.Query)
	if !ok {
		return f.matchDB(q.Schema)
	}
	for _, r := range refs {
		switch {
		case r.Table == "":
			if f.matchDB([]byte(r.DB)) {
				return true
			}
		case r.DB == "":
			if f.matchName(q.Schema, []byte(r.Table)) {
				return true
			}
		default:
			if f.matchName([]byte(r.DB), []byte(r.Table)) {
				return true
			}
		}
	}
	return false
}

// matchAnnotation judges the statement of an ANNOTATE_ROWS or ROWS_QUERY
// event: see TableFilter.
func (f *TableFilter) matchAnnotation(stmt []byte) bool {
	refs, ok := event.StatementTables(stmt)
	if !ok {
		return len(f.Include) == 0
	}
	for _, r := range refs {
		switch {
		case r.Table == "":
			if f.matchDB([]byte(r.DB)) {
				return true
			}
		case r.DB == "":
			if f.matchTableAnyDB(r.Table) {
				return true
			}
		default:
			if f.matchName([]byte(r.DB), []byte(r.Table)) {
				return true
			}
		}
	}
	return false
}

// matchTableAnyDB judges a table name whose database is unknown: it passes
// when some Include pattern's table part matches it (or Include is empty)
// and no Exclude pattern for every database ("*.t") does.
func (f *TableFilter) matchTableAnyDB(tbl string) bool {
	if len(f.Include) > 0 {
		ok := false
		for _, p := range f.Include {
			_, tp, _ := strings.Cut(p, ".")
			if m, _ := path.Match(tp, tbl); m {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	for _, p := range f.Exclude {
		if dp, tp, _ := strings.Cut(p, "."); dp == "*" {
			if m, _ := path.Match(tp, tbl); m {
				return false
			}
		}
	}
	return true
}

// KeepEarly implements EarlyFilter: TABLE_MAP and rows events are judged by
// their table's names; with Queries, events with statement text wait for
// their decoded body.
func (f *TableFilter) KeepEarly(ev *event.Event, t *TableName) (keep, decided bool) {
	if typ := ev.Header.Type; typ == event.TableMapEvent || typ.IsRows() {
		if t == nil {
			return len(f.Include) == 0, true
		}
		return f.matchTable(t.Schema, t.Table), true
	}
	switch ev.Header.Type {
	case event.QueryEvent, event.MariaQueryCompressedEvent, event.MariaAnnotateRowsEvent, event.RowsQueryEvent:
		return true, !f.Queries
	}
	return true, true
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
