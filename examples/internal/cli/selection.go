package cli

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// Selection is the flags that choose what a tool reads, the same in every
// tool that reads binlogs (binlogdump, binlog2sql, flashback, binlogstat,
// binlogview), with the same names, aliases, meaning and help text:
//
//	--start-position (--start-pos)  --stop-position (--stop-pos, --end-pos)
//	--start-file                    --stop-file (--end-file)
//	--start-datetime                --stop-datetime          --tz
//	--databases (--database, -d)    --tables (--table, -t)   --exclude-tables (--exclude-table)
//	--include-gtids                 --exclude-gtids
//	--sql-type, --only-dml          (the tools where they mean something)
//
// Register declares them, Parse checks them after the command line is
// parsed, Open opens the FILE arguments narrowed to --start-file …
// --stop-file, and Filter builds the binlog filter. While the input is
// read, Done tells when nothing more can be kept; after it, Err reports a
// position that is not an event boundary and Warnings what the filters
// found nothing for.
type Selection struct {
	// The parsed values (zero: the flag was not given).
	StartPos, StopPos   uint64
	StartFile, StopFile string
	Start, Stop         time.Time
	// Loc is the zone of --start/stop-datetime and of the times a tool
	// prints: --tz, else the local zone (LocalZone).
	Loc                              *time.Location
	Databases, Tables, ExcludeTables []string
	IncludeGTIDs, ExcludeGTIDs       *binlog.GTIDSelection
	// SQLTypes is --sql-type: the kinds of row changes kept (0: all).
	SQLTypes RowKinds
	// OnlyDML is --only-dml.
	OnlyDML bool

	tz, startDT, stopDT     string
	includeRaw, excludeRaw  string
	sqlTypes                []string
	names                   []string // the files Open kept, for positions
	remote                  bool
	pos                     *binlog.PositionRange
	times                   *timeWatch
	tables                  *tableWatch
	hasTables, hasDatabases bool
}

// Extra says which of the flags that only some tools have a Selection
// declares.
type Extra uint8

const (
	// SQLType declares --sql-type (binlog2sql, flashback).
	SQLType Extra = 1 << iota
	// OnlyDML declares --only-dml (binlog2sql, binlogdump, binlogstat).
	OnlyDML
)

// RowKinds is a set of row change kinds, as --sql-type names them.
type RowKinds uint8

// The row change kinds of RowKinds.
const (
	RowInsert RowKinds = 1 << iota
	RowUpdate
	RowDelete
)

// SelectionHelp is the paragraph of every tool's -h about its selection
// flags; it ends with a blank line.
const SelectionHelp = `Choosing what to read, the same in every binlogkit tool: --start-position
applies to the first file and --stop-position to the last, and each must be
where an event starts (the "# at" lines of binlogdump and mysqlbinlog), or
the file's end; --start-file and --stop-file pick the files. Times are in
the local zone (TZ) unless --tz names one. A table filter judges statements
by the tables they name. A MariaDB GTID names one transaction: 0-1-8 is
that one, 0-1-7,0-1-8 two, 0-1-5..8 four (mysqlbinlog's --include-gtids).
A time range or a table filter that keeps nothing says so on stderr.

`

// Help texts of the selection flags: one wording for every tool.
const (
	helpStartPos  = "start at the event at this byte `offset` of the first file (where an event starts: the \"# at\" of binlogdump or mysqlbinlog); a position inside an event is an error"
	helpStopPos   = "stop before the event at this byte `offset` of the last file (where an event starts, or the file's end)"
	helpStartFile = "start at this binlog `file`: a name among the FILE arguments or the files of a backup directory, or of the server when reading from one (default: the first, the server's oldest); --start-position applies to it"
	helpStopFile  = "stop after this binlog `file`, named as for --start-file; --stop-position applies to it"
	helpStartDT   = "keep events at or after this `time`, \"YYYY-MM-DD HH:MM:SS\" in --tz"
	helpStopDT    = "keep events before this `time`, \"YYYY-MM-DD HH:MM:SS\" in --tz"
	helpTZ        = "time `zone` of --start/stop-datetime and of the times shown: UTC, Local, a name like Europe/Berlin or an offset like +08:00 (default: the local zone, as mysqlbinlog reads times; here %s)"
	helpDatabases = "keep only these `dbs` ('*' and '?' wildcards): row changes by their table's database, statements by the tables they name (else by their default database); repeatable or comma list"
	helpTables    = "keep only these `tables`: db.table patterns ('*' and '?' wildcards) or bare table names (in --databases, or in any database); statements by the tables they name; repeatable or comma list"
	helpExclude   = "drop these `tables`: db.table patterns or bare table names (in any database), and the statements that name only them; repeatable or comma list"
	helpInclude   = "keep only the transactions this GTID `list` names, as mysqlbinlog's --include-gtids: MySQL uuid:1-5[:tag:1-3]; MariaDB domain-server-seq names that one transaction and domain-server-first..last a range; a comma list (0-1-7,0-1-8)"
	helpExcludeG  = "drop the transactions this GTID `list` names (written as for --include-gtids)"
	helpSQLType   = "keep only row changes of these `kinds`: INSERT, UPDATE, DELETE (comma list)"
	helpOnlyDML   = "leave out DDL statements (CREATE, ALTER, DROP, RENAME, TRUNCATE): row changes and DML statements only"
)

// Register declares the selection flags on fs, with the extra ones asked
// for.
func (s *Selection) Register(fs *flag.FlagSet, extra Extra) {
	fs.Uint64Var(&s.StartPos, "start-position", 0, helpStartPos)
	Alias(fs, "start-position", "start-pos")
	fs.Uint64Var(&s.StopPos, "stop-position", 0, helpStopPos)
	Alias(fs, "stop-position", "stop-pos", "end-pos")
	fs.StringVar(&s.StartFile, "start-file", "", helpStartFile)
	fs.StringVar(&s.StopFile, "stop-file", "", helpStopFile)
	Alias(fs, "stop-file", "end-file")
	fs.StringVar(&s.startDT, "start-datetime", "", helpStartDT)
	fs.StringVar(&s.stopDT, "stop-datetime", "", helpStopDT)
	fs.StringVar(&s.tz, "tz", "", fmt.Sprintf(helpTZ, ZoneName(LocalZone())))
	fs.Var(List(&s.Databases), "databases", helpDatabases)
	Alias(fs, "databases", "database", "d")
	fs.Var(List(&s.Tables), "tables", helpTables)
	Alias(fs, "tables", "table", "t")
	fs.Var(List(&s.ExcludeTables), "exclude-tables", helpExclude)
	Alias(fs, "exclude-tables", "exclude-table")
	fs.StringVar(&s.includeRaw, "include-gtids", "", helpInclude)
	fs.StringVar(&s.excludeRaw, "exclude-gtids", "", helpExcludeG)
	if extra&SQLType != 0 {
		fs.Var(List(&s.sqlTypes), "sql-type", helpSQLType)
	}
	if extra&OnlyDML != 0 {
		fs.BoolVar(&s.OnlyDML, "only-dml", false, helpOnlyDML)
	}
}

// Parse checks and converts the flag values after the command line was
// parsed; files is the number of FILE arguments. Errors are *UsageError.
func (s *Selection) Parse(files int) error {
	var err error
	s.Loc = LocalZone()
	if s.tz != "" {
		if s.Loc, err = ParseZone(s.tz); err != nil {
			return err
		}
	}
	if s.startDT != "" {
		if s.Start, err = ParseDateTime("start-datetime", s.startDT, s.Loc); err != nil {
			return err
		}
	}
	if s.stopDT != "" {
		if s.Stop, err = ParseDateTime("stop-datetime", s.stopDT, s.Loc); err != nil {
			return err
		}
	}
	if !s.Start.IsZero() && !s.Stop.IsZero() && !s.Stop.After(s.Start) {
		return Usagef("--stop-datetime is not after --start-datetime")
	}
	oneFile := files <= 1 || s.StartFile != "" && s.StartFile == s.StopFile
	if s.StopPos != 0 && s.StopPos <= s.StartPos && oneFile {
		return Usagef("--stop-position %d is not after --start-position %d", s.StopPos, s.StartPos)
	}
	if s.StartPos != 0 && s.StartPos < event.MagicLen {
		return Usagef("--start-position %d is inside the file's magic (the first event is at 4)", s.StartPos)
	}
	for _, db := range s.Databases {
		if strings.Contains(db, ".") {
			return Usagef("--databases %q is a table; use --tables for db.table patterns", db)
		}
	}
	for _, x := range []struct {
		flag, text string
		dst        **binlog.GTIDSelection
	}{{"--include-gtids", s.includeRaw, &s.IncludeGTIDs}, {"--exclude-gtids", s.excludeRaw, &s.ExcludeGTIDs}} {
		if x.text == "" {
			continue
		}
		sel, err := binlog.ParseGTIDSelection(x.text)
		if err != nil {
			return Usagef("%s: %v", x.flag, strings.TrimPrefix(err.Error(), "binlog: "))
		}
		*x.dst = sel
	}
	for _, t := range s.sqlTypes {
		switch strings.ToUpper(t) {
		case "INSERT":
			s.SQLTypes |= RowInsert
		case "UPDATE":
			s.SQLTypes |= RowUpdate
		case "DELETE":
			s.SQLTypes |= RowDelete
		default:
			return Usagef("unknown --sql-type %q (use INSERT, UPDATE, DELETE)", t)
		}
	}
	if _, err := s.tableFilters(); err != nil {
		return err
	}
	return nil
}

// Remote makes the selection read from a server (binlog2sql -h,
// binlogdump --remote): the server starts the stream at --start-file and
// --start-position, so the filter does not apply them again;
// --stop-position applies to --stop-file (to any file without it).
func (s *Selection) Remote() { s.remote = true }

// Open returns the Source for a tool's FILE arguments (as OpenSource does),
// narrowed to the files from --start-file to --stop-file, and remembers the
// names of the files kept, to which the positions apply. A start or stop
// file the inputs do not hold is a *UsageError. The returned function
// closes the Source.
func (s *Selection) Open(files []string, stdin io.Reader) (binlog.Source, func(), error) {
	if src, names, closeSrc, ok, err := openArchiveRange(files, s.StartFile, s.StopFile); ok {
		s.names = names // an archive directory (package backup)
		return src, closeSrc, err
	}
	named := s.StartFile != "" || s.StopFile != ""
	if !named && (s.StartPos == 0 && s.StopPos == 0 || len(files) == 1 && files[0] == "-") {
		src, closeSrc := OpenSource(files, stdin)
		return src, closeSrc, nil
	}
	l := binlog.OpenFiles(files...)
	names, err := l.Range(s.StartFile, s.StopFile)
	if err != nil {
		l.Close()
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, nil, err
		}
		return nil, nil, &UsageError{Msg: strings.TrimPrefix(err.Error(), "binlog: ")}
	}
	s.names = names
	return l, func() { l.Close() }, nil
}

// SetFiles gives the names of the files to be read, in order, for a tool
// that opens them itself (binlogview): the positions apply to the first and
// the last.
func (s *Selection) SetFiles(names []string) { s.names = names }

// Filter returns the filter of the selection combined with extra (nil when
// nothing selects): positions first, then GTIDs, times, databases and
// tables; every filter sees every event. Done, Err and Warnings follow the
// filter Filter built last: call it once per reading.
func (s *Selection) Filter(extra ...binlog.Filter) binlog.Filter {
	var fs []binlog.Filter
	s.pos, s.times, s.tables = nil, nil, nil
	switch {
	case s.remote && s.StopPos != 0:
		s.pos = &binlog.PositionRange{Stop: s.StopPos, StopFile: s.StopFile}
	case !s.remote && (s.StartPos != 0 || s.StopPos != 0):
		s.pos = &binlog.PositionRange{Start: s.StartPos, Stop: s.StopPos}
		if len(s.names) > 0 {
			s.pos.StartFile, s.pos.StopFile = s.names[0], s.names[len(s.names)-1]
		}
	}
	if s.pos != nil {
		fs = append(fs, s.pos)
	}
	if s.IncludeGTIDs != nil || s.ExcludeGTIDs != nil {
		fs = append(fs, &binlog.GTIDFilter{Include: s.IncludeGTIDs, Exclude: s.ExcludeGTIDs})
	}
	if !s.Start.IsZero() || !s.Stop.IsZero() {
		s.times = &timeWatch{r: binlog.TimeRange{Start: s.Start, Stop: s.Stop}}
		fs = append(fs, s.times)
	}
	if tf, _ := s.tableFilters(); tf != nil {
		s.tables = &tableWatch{f: tf, warn: s.hasDatabases || s.hasTables, counts: make(map[string]int)}
		fs = append(fs, s.tables)
	}
	for _, f := range extra {
		if f != nil {
			fs = append(fs, f)
		}
	}
	return All(fs)
}

// RowKindFilter returns the filter of --sql-type (nil without it): rows
// events of other kinds are dropped. It is an EarlyFilter.
func (s *Selection) RowKindFilter() binlog.Filter {
	if s.SQLTypes == 0 {
		return nil
	}
	var drop []event.Type
	for i := 0; i < 256; i++ {
		t := event.Type(i)
		if !t.IsRows() {
			continue
		}
		var k RowKinds
		switch t.RowsKind() {
		case event.RowsWrite:
			k = RowInsert
		case event.RowsUpdate:
			k = RowUpdate
		case event.RowsDelete:
			k = RowDelete
		}
		if s.SQLTypes&k == 0 {
			drop = append(drop, t)
		}
	}
	return binlog.ExcludeTypes(drop...)
}

// OnlyDMLFilter returns the filter of --only-dml (nil without it): DDL
// statements are dropped.
func (s *Selection) OnlyDMLFilter() binlog.Filter {
	if !s.OnlyDML {
		return nil
	}
	return onlyDML{}
}

// onlyDML drops QUERY events holding DDL.
type onlyDML struct{}

func (onlyDML) Keep(ev *event.Event) bool {
	q, ok := ev.Body.(*event.Query)
	return !ok || q.Statement().Kind != event.StatementDDL
}

func (onlyDML) KeepEarly(ev *event.Event, _ *binlog.TableName) (bool, bool) {
	switch ev.Header.Type {
	case event.QueryEvent, event.MariaQueryCompressedEvent:
		return true, false
	}
	return true, true
}

// TableFilter returns a filter of --databases, --tables and
// --exclude-tables alone (nil without them): for a tool that judges events
// again after the reading Filter chose them (binlogview's details), or that
// judges DDL by the tables kept (flashback.Options.Tables). It keeps what
// Filter's table part keeps.
func (s *Selection) TableFilter() *binlog.TableFilter {
	f, _ := s.tableFilters()
	return f
}

// Selects reports whether a flag narrows the events read: positions,
// times, databases, tables or GTIDs (--start-file and --stop-file narrow
// the files, --sql-type and --only-dml have filters of their own).
func (s *Selection) Selects() bool {
	return s.StartPos != 0 || s.StopPos != 0 || !s.Start.IsZero() || !s.Stop.IsZero() ||
		s.Filtered() || s.IncludeGTIDs != nil || s.ExcludeGTIDs != nil
}

// Filtered reports whether --databases, --tables or --exclude-tables were
// given.
func (s *Selection) Filtered() bool {
	return len(s.Databases)+len(s.Tables)+len(s.ExcludeTables) > 0
}

// tableFilters builds the filter of --databases, --tables and
// --exclude-tables, statements judged too (binlog.TableFilter.Queries): nil
// without them. A bare table name stands for that table in each of
// --databases (or in any database); with both flags, a table must match
// both.
func (s *Selection) tableFilters() (*binlog.TableFilter, error) {
	s.hasDatabases, s.hasTables = len(s.Databases) > 0, len(s.Tables) > 0
	include := s.Databases
	if len(s.Tables) > 0 {
		include = tablePatterns(s.Databases, s.Tables)
	}
	exclude := tablePatterns(nil, s.ExcludeTables)
	if len(include) == 0 && len(exclude) == 0 {
		return nil, nil
	}
	for _, p := range s.Databases {
		if _, err := path.Match(p, ""); err != nil {
			return nil, Usagef("--databases: bad pattern %q: %v", p, err)
		}
	}
	f, err := binlog.NewTableFilter(include, exclude)
	if err != nil {
		return nil, Usagef("--tables/--exclude-tables: %v", strings.TrimPrefix(err.Error(), "binlog: "))
	}
	f.Queries = true
	return f, nil
}

// tablePatterns turns table arguments into db.table patterns: a bare name
// applies to each of dbs (or to any database); a db.table pattern, to the
// part of its databases that dbs also name.
func tablePatterns(dbs, tables []string) []string {
	var out []string
	for _, t := range tables {
		db, table, qualified := strings.Cut(t, ".")
		switch {
		case len(dbs) == 0:
			if !qualified {
				t = "*." + t
			}
			out = append(out, t)
		case !qualified:
			for _, d := range dbs {
				out = append(out, d+"."+t)
			}
		default:
			// The intersection of the pattern's databases with dbs: exact
			// when either side has no wildcard.
			for _, d := range dbs {
				switch {
				case !hasWildcard(db):
					if m, _ := path.Match(d, db); m {
						out = append(out, t)
					}
				case !hasWildcard(d):
					if m, _ := path.Match(db, d); m {
						out = append(out, d+"."+table)
					}
				default:
					out = append(out, t)
				}
			}
		}
	}
	if len(out) == 0 && len(tables) > 0 {
		// No table of the databases given: a pattern no name matches
		// (names hold no NUL).
		out = append(out, "\x00.\x00")
	}
	return out
}

func hasWildcard(p string) bool { return strings.ContainsAny(p, "*?[\\") }

// Done reports whether no later event can be kept: the stop position was
// passed or a position was found wrong. A reading loop may stop.
func (s *Selection) Done() bool { return s.pos != nil && s.pos.Done() }

// Err returns, after the input was read (or once Done), a position that is
// not an event boundary of its file or is past its end: a
// *binlog.PositionError naming the file and the boundaries around it.
func (s *Selection) Err() error {
	if s.pos == nil {
		return nil
	}
	return s.pos.Err()
}

// maxTablesListed bounds the tables a warning lists.
const maxTablesListed = 10

// Warnings returns, after the input was read, what the selection kept
// nothing of: a time range that selected no event (with the span of the
// input's event times, in the zone), and --databases or --tables that kept
// no row change (with the tables seen, the most changed first, and their
// rows events). Each is one line without a prefix.
func (s *Selection) Warnings() []string {
	var out []string
	if w := s.times; w != nil && !w.kept {
		// No event of a transaction in the range.
		var flags []string
		if !s.Start.IsZero() {
			flags = append(flags, "--start-datetime '"+s.Start.In(s.Loc).Format(time.DateTime)+"'")
		}
		if !s.Stop.IsZero() {
			flags = append(flags, "--stop-datetime '"+s.Stop.In(s.Loc).Format(time.DateTime)+"'")
		}
		msg := strings.Join(flags, " ") + " selected no event"
		if w.first == 0 {
			msg += ": the input holds no event with a time"
		} else {
			msg += fmt.Sprintf(": the input spans %s to %s", s.timeText(w.first), s.timeText(w.last))
		}
		msg += "; times are in " + ZoneName(s.Loc) + ": --tz gives another zone"
		out = append(out, msg)
	}
	if w := s.tables; w != nil && w.warn && !w.kept {
		var flags []string
		if s.hasDatabases {
			flags = append(flags, "--databases "+strings.Join(s.Databases, ","))
		}
		if s.hasTables {
			flags = append(flags, "--tables "+strings.Join(s.Tables, ","))
		}
		msg := strings.Join(flags, " ") + " kept no row change"
		if len(w.counts) == 0 {
			msg += ": the input has no rows event"
			if s.times != nil || s.pos != nil || s.IncludeGTIDs != nil || s.ExcludeGTIDs != nil {
				msg += " in the range selected"
			}
		} else {
			msg += "; the tables with rows events are " + w.list(maxTablesListed)
		}
		out = append(out, msg)
	}
	return out
}

// WriteWarnings writes each of Warnings on its own line after prefix.
func (s *Selection) WriteWarnings(w io.Writer, prefix string) {
	for _, m := range s.Warnings() {
		fmt.Fprintf(w, "%s%s\n", prefix, m)
	}
}

func (s *Selection) timeText(ts uint32) string {
	return time.Unix(int64(ts), 0).In(s.Loc).Format(time.DateTime)
}

// timeWatch is the --start/stop-datetime filter that remembers the span of
// the times of the events it was asked about and whether it kept one. Only
// the events of transactions count: a FORMAT_DESCRIPTION carries the time
// its file was opened, maybe at a server start long before.
type timeWatch struct {
	r           binlog.TimeRange
	first, last uint32
	kept        bool
}

func (w *timeWatch) Keep(ev *event.Event) bool {
	keep := w.r.Keep(ev)
	if ts := ev.Header.Timestamp; ts != 0 && !housekeeping(ev.Header.Type) {
		if w.first == 0 || ts < w.first {
			w.first = ts
		}
		w.last = max(w.last, ts)
		w.kept = w.kept || keep
	}
	return keep
}

func (w *timeWatch) KeepEarly(ev *event.Event, _ *binlog.TableName) (bool, bool) {
	return w.Keep(ev), true
}

// maxTablesCounted bounds the table names a tableWatch counts.
const maxTablesCounted = 10000

// tableWatch is the --databases/--tables filter that counts the rows events
// of each table it was asked about and remembers whether it kept one.
type tableWatch struct {
	f      binlog.Filter
	warn   bool // --databases or --tables given: keeping nothing is worth a warning
	kept   bool
	counts map[string]int
	other  int // rows events of tables beyond maxTablesCounted
	key    []byte
}

func (w *tableWatch) Keep(ev *event.Event) bool {
	keep := w.f.Keep(ev)
	if _, ok := ev.Body.(*event.Rows); ok && ev.Table != nil {
		w.count(ev.Table.Schema, ev.Table.Table, keep)
	}
	return keep
}

func (w *tableWatch) KeepEarly(ev *event.Event, t *binlog.TableName) (bool, bool) {
	ef, ok := w.f.(binlog.EarlyFilter)
	if !ok {
		return true, false
	}
	keep, decided := ef.KeepEarly(ev, t)
	if decided && t != nil && ev.Header.Type.IsRows() {
		w.count(t.Schema, t.Table, keep)
	}
	return keep, decided
}

func (w *tableWatch) count(db, tbl []byte, keep bool) {
	w.kept = w.kept || keep
	w.key = append(append(append(w.key[:0], db...), '.'), tbl...)
	if n, ok := w.counts[string(w.key)]; ok {
		w.counts[string(w.key)] = n + 1
	} else if len(w.counts) < maxTablesCounted {
		w.counts[string(w.key)] = 1
	} else {
		w.other++
	}
}

// list names the tables counted, the most rows events first, at most n.
func (w *tableWatch) list(n int) string {
	names := make([]string, 0, len(w.counts))
	for k := range w.counts {
		names = append(names, k)
	}
	slices.SortFunc(names, func(a, b string) int {
		if c := cmp.Compare(w.counts[b], w.counts[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	var b strings.Builder
	for i, name := range names {
		if i == n {
			fmt.Fprintf(&b, " and %d more", len(names)-n)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		unit := ""
		if i == 0 {
			unit = " rows events"
		}
		fmt.Fprintf(&b, "%s (%d%s)", name, w.counts[name], unit)
	}
	if w.other > 0 {
		fmt.Fprintf(&b, " and %d rows events of other tables", w.other)
	}
	return b.String()
}

// housekeeping reports the events that belong to no transaction: the
// file's own (format, rotation, GTID lists, checkpoints) and the stream's.
func housekeeping(t event.Type) bool {
	switch t {
	case event.FormatDescriptionEvent, event.RotateEvent, event.StopEvent, event.PreviousGTIDsEvent,
		event.MariaGTIDListEvent, event.MariaBinlogCheckpointEvent, event.HeartbeatEvent,
		event.HeartbeatEventV2, event.MariaStartEncryptionEvent:
		return true
	}
	return false
}
