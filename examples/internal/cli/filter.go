package cli

import (
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// CheckPositions returns a *UsageError when --start-position and
// --stop-position select nothing in a single file, or when the start lies
// inside a file's magic; files is the number of FILE arguments (over several,
// the start is in the first file and the stop in the last).
func CheckPositions(startPos, stopPos uint64, files int) error {
	if stopPos != 0 && stopPos <= startPos && files <= 1 {
		return Usagef("--stop-position %d is not after --start-position %d", stopPos, startPos)
	}
	if startPos != 0 && startPos < event.MagicLen {
		return Usagef("--start-position %d is inside the file's magic (the first event is at 4)", startPos)
	}
	return nil
}

// CheckTimes returns a *UsageError when --stop-datetime is not after
// --start-datetime (a zero time is an unset flag).
func CheckTimes(start, stop time.Time) error {
	if !start.IsZero() && !stop.IsZero() && !stop.After(start) {
		return Usagef("--stop-datetime is not after --start-datetime")
	}
	return nil
}

// RangeFilters returns the filters for --start/stop-position and
// --start/stop-datetime (zero values are unset flags) and the position range
// among them (nil without positions), whose Done tells a reader to stop.
// Over several files the position range starts in the first and stops in
// the last.
func RangeFilters(startPos, stopPos uint64, start, stop time.Time, files []string) ([]binlog.Filter, *binlog.PositionRange) {
	var fs []binlog.Filter
	var pr *binlog.PositionRange
	if startPos != 0 || stopPos != 0 {
		pr = &binlog.PositionRange{Start: startPos, Stop: stopPos}
		if len(files) > 1 {
			pr.StartFile, pr.StopFile = files[0], files[len(files)-1]
		}
		fs = append(fs, pr)
	}
	if !start.IsZero() || !stop.IsZero() {
		fs = append(fs, binlog.TimeRange{Start: start, Stop: stop})
	}
	return fs, pr
}

// All combines filters into one: nil for none (keep everything), the filter
// itself for one, else binlog.All.
func All(fs []binlog.Filter) binlog.Filter {
	switch len(fs) {
	case 0:
		return nil
	case 1:
		return fs[0]
	}
	return binlog.All(fs...)
}

// GTIDFilter builds the filter for --include-gtids and --exclude-gtids: a
// transaction's events (from its GTID event to its commit) are kept when its
// GTID is in include (if given) and not in exclude, as mysqlbinlog does. An
// empty string leaves that side unset. A bad set is a *UsageError naming the
// flag.
func GTIDFilter(include, exclude string) (binlog.Filter, error) {
	f := &binlog.GTIDFilter{}
	for _, x := range []struct {
		flag, text string
		dst        **binlog.GTIDSet
	}{{"--include-gtids", include, &f.Include}, {"--exclude-gtids", exclude, &f.Exclude}} {
		if x.text == "" {
			continue
		}
		set, err := binlog.ParseGTIDSet(x.text)
		if err != nil {
			return nil, Usagef("%s: %v", x.flag, err)
		}
		*x.dst = set
	}
	return f, nil
}

// DatabaseFilter is --database: TABLE_MAP and rows events are judged by
// their table's database, QUERY events by their default database (as
// mysqlbinlog does), except BEGIN, COMMIT and ROLLBACK, which always pass
// since they frame the kept rows events. A rows event whose TABLE_MAP was
// not seen is dropped; other events pass.
type DatabaseFilter struct {
	tables   *binlog.TableFilter
	patterns []string
}

// NewDatabaseFilter returns the filter keeping the databases matching dbs
// ('*' and '?' wildcards, path.Match rules). A pattern with a dot is refused
// with an error that points to tableFlag (the tool's flag for db.table
// patterns, such as "--table").
func NewDatabaseFilter(dbs []string, tableFlag string) (*DatabaseFilter, error) {
	tf, err := binlog.NewTableFilter(dbs, nil)
	if err != nil {
		return nil, err
	}
	for _, db := range dbs {
		if strings.Contains(db, ".") {
			return nil, fmt.Errorf("%q is a table; use %s for db.table patterns", db, tableFlag)
		}
	}
	return &DatabaseFilter{tables: tf, patterns: dbs}, nil
}

// Keep implements binlog.Filter.
func (f *DatabaseFilter) Keep(ev *event.Event) bool {
	if q, ok := ev.Body.(*event.Query); ok {
		switch q.Statement().Kind {
		case event.StatementBegin, event.StatementCommit, event.StatementRollback:
			return true
		}
		for _, p := range f.patterns {
			if m, _ := path.Match(p, string(q.Schema)); m {
				return true
			}
		}
		return false
	}
	return f.tables.Keep(ev)
}

// OpenSource returns the Source for a tool's FILE arguments (at least one):
// standard input (read from stdin and named "stdin") for a lone "-", else
// binlog.OpenFiles over the files in order, where "-" is the process's
// standard input, a directory is a backup kept by binlogbackup (as
// binlog.OpenDir reads it) and gzip, xz, lz4 and zstd files are decompressed.
// The returned function closes the Source.
func OpenSource(files []string, stdin io.Reader) (binlog.Source, func()) {
	if len(files) == 1 && files[0] == "-" {
		s := binlog.NewStreamSource(io.NopCloser(stdin), "stdin")
		return s, func() { s.Close() }
	}
	l := binlog.OpenFiles(files...)
	return l, func() { l.Close() }
}
