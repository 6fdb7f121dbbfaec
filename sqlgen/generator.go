package sqlgen

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
	"github.com/binlogkit/binlogkit/schema"
)

// SQLType selects statement kinds (a bit set; zero means all).
type SQLType uint8

// Statement kinds for Options.SQLTypes.
const (
	SQLInsert SQLType = 1 << iota
	SQLUpdate
	SQLDelete
)

// Options says which SQL a Generator writes. The zero value writes one
// INSERT/UPDATE/DELETE per row change with changed-columns-only SET, WHERE
// on the primary key when known, a comment after each statement with times
// in UTC, no DDL, and backslash escapes in strings.
type Options struct {
	// FullColumns writes every column of the after image in UPDATE's SET
	// (default: only the columns whose value changed).
	FullColumns bool
	// NoPrimaryKey leaves the primary-key columns out of INSERT (for
	// tables whose key is AUTO_INCREMENT and should be assigned afresh).
	NoPrimaryKey bool
	// Replace writes REPLACE instead of INSERT.
	Replace bool
	// BatchRows > 1 writes the rows of one rows event as multi-row INSERTs
	// of up to BatchRows rows.
	BatchRows int
	// RewriteDB maps a database name of the stream to the one written
	// (rows statements and the USE before DDL; the DDL text itself is not
	// rewritten).
	RewriteDB map[string]string
	// DDL passes DDL statements (CREATE, ALTER, DROP, RENAME, TRUNCATE)
	// through, each after a USE of its default database, so that replaying
	// the output into an empty server rebuilds schema and data.
	DDL bool
	// NoComments drops the comment after each statement:
	// "# start 1234 end 1500 time 2024-05-01 10:00:00 gtid 0-1-7" (start:
	// the position of the transaction's first event; end: just past the
	// rows event).
	NoComments bool
	// Location is the zone of the time in comments (nil: UTC).
	Location *time.Location
	// NoBackslashEscapes writes strings for a server with sql_mode
	// NO_BACKSLASH_ESCAPES (the preamble sets it).
	NoBackslashEscapes bool
	// SQLTypes keeps only these statement kinds (0: all).
	SQLTypes SQLType
	// Positional is the fallback for tables whose column names no source
	// knows: instead of failing, the change is written as a comment with
	// @1…@N column names ("# INSERT INTO `db`.`t` SET @1=1, @2='a'"). It is
	// never written as SQL: a statement with guessed names could change the
	// wrong columns.
	Positional bool
	// AllowUnknownGenerated writes the rows of a MySQL source's table whose
	// definition comes only from its Table_map (no schema Provider knows
	// it) with every logged column, generated ones included if it has any:
	// for output that is read rather than applied, or binlogs known to
	// have no generated columns. Without it such a table is an
	// *UnknownGeneratedError, since a MySQL server refuses a value for a
	// generated column (ERROR 3105) and no binlog_row_metadata flags them.
	// MariaDB sources need no such knowledge: MariaDB ignores the values,
	// with a warning, under the Preamble's sql_mode.
	AllowUnknownGenerated bool
}

// Generator turns the events of a binlog, in order, into SQL. It is not
// safe for concurrent use.
type Generator struct {
	schema  schema.Provider
	meta    *schema.Metadata // learns from Table_maps (FULL metadata)
	opts    Options
	lit     literalWriter
	rt      rowcodec.Tables        // the Tables of the stream's table ids
	tables  map[uint64]*tableState // what was derived from each
	before  []rowcodec.Value
	after   []rowcodec.Value
	mariadb bool

	trxStart uint64
	inTrx    bool
	// The source transaction being written: explicit once a BEGIN (or a
	// MariaDB GTID that stands for one) opened it, xa for an XA
	// transaction (its own statements are written instead of BEGIN/COMMIT),
	// begun once "BEGIN;" was written before its first statement.
	explicit, xa, begun bool
	gtid                []byte
	lastUse             []byte
	useSet              bool
	buf                 []byte

	// The comment time of the last timestamp formatted (most statements
	// share their event's, and many events their second).
	timeText []byte
	timeOf   uint32

	// forks gives the Generators Fork makes their schema: g's Provider
	// behind one lock, or a copy of a *schema.Metadata each.
	forks func() schema.Provider
}

// tableState is one table id's Table_map and what the Generator resolved
// for it.
type tableState struct {
	t        *rowcodec.Table // the Table g.rt keeps for the table id
	resolved bool            // resolved for the current Table_map
	built    bool            // idents, skip and keys are built for schema/src
	schema   *schema.Table   // the definition the statements use (nil: positional)
	src      *schema.Table   // what the Provider returned, to reuse the resolution
	extra    *schema.Table   // the source whose declared types are checked
	prec     *schema.Table   // the source of the old temporal types' precisions (nil: none)
	qname    []byte          // `db`.`table`, with RewriteDB applied
	idents   [][]byte
	skip     []bool // generated columns: never written
	pk       []int
	uniq     [][]int
	ins      insertPlan

	// What the last Observe calls and the last successful resolve saw:
	// t's Generation and the schema.Metadata generations. While they are the
	// same, observing again would change nothing and resolving again would
	// give the same result.
	observed                        bool
	obsBuilds, obsGen, obsSchemaGen uint64
	resBuilds, resGen, resSchemaGen uint64
	// typesOK: t's types were checked against extra and its precisions
	// set from prec when t was at generation typesGen.
	typesOK  bool
	typesGen uint64
}

// insertPlan is the INSERT of one table for one columns-present bitmap:
// the statement head up to "VALUES (" and the columns written, kept while
// the rows events of the table carry the same bitmap.
type insertPlan struct {
	valid   bool
	n       int    // column count
	all     bool   // built for a nil bitmap (every column present)
	present []byte // the bitmap it was built for
	cols    []int  // the columns written, in order
	head    []byte // INSERT INTO `db`.`t` (`a`,`b`) VALUES (
}

// New returns a Generator that names columns from the Table_maps' FULL
// metadata first and from p (which may be nil) otherwise; p also follows
// the DDL of the stream and supplies generated-column flags and unique
// keys.
func New(p schema.Provider, opts Options) *Generator {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	g := &Generator{schema: p, meta: schema.NewMetadata(), opts: opts, tables: make(map[uint64]*tableState)}
	g.lit.opts.NoBackslashEscapes = opts.NoBackslashEscapes
	return g
}

// Fork returns a new Generator with g's Options and Provider, for another
// goroutine: Generators forked from g may run at the same time, their calls
// to the Provider serialised by a lock they share (a *schema.Metadata is
// copied for each instead), while g itself is not used. A fork knows
// nothing of the events g was given: feed it the FORMAT_DESCRIPTION and
// Table_maps its events need.
func (g *Generator) Fork() *Generator {
	if g.forks == nil {
		g.forks = workerSchemas(g.schema)
	}
	return New(g.forks(), g.opts)
}

// Preamble appends the session settings the statements assume: a utf8mb4
// connection, UTC time zone (TIMESTAMP literals are UTC), and a sql_mode
// that stores every logged value as it is (no strict mode, so zero dates
// are accepted; NO_AUTO_VALUE_ON_ZERO so that a logged 0 stays 0).
func (g *Generator) Preamble(dst []byte) []byte {
	dst = append(dst, "SET NAMES utf8mb4;\nSET time_zone='+00:00';\n"...)
	dst = append(dst, "SET sql_mode='NO_AUTO_VALUE_ON_ZERO"...)
	if g.opts.NoBackslashEscapes {
		dst = append(dst, ",NO_BACKSLASH_ESCAPES"...)
	}
	return append(dst, "';\n"...)
}

// UnknownNamesError reports a rows event whose table's column names no
// source knows.
type UnknownNamesError struct {
	File  string
	Pos   uint64
	Table string // db.table
}

// Error names the file, position and table, and the three ways to give
// column names.
func (e *UnknownNamesError) Error() string {
	return fmt.Sprintf("%s: position %d: column names of %s are unknown: log them with binlog_row_metadata=FULL on the server, or give the table's CREATE TABLE in a schema file (--schema FILE), or read them from a live server (--schema-dsn DSN)", e.File, e.Pos, e.Table)
}

// UnknownGeneratedError reports a table of a MySQL source whose generated
// columns are unknown: its definition came only from the Table_map, whose
// metadata (MINIMAL or FULL) does not flag generated columns, and a MySQL
// server refuses a value for one (ERROR 3105). Its definition, from the
// stream's own CREATE TABLE, a schema file or the server, says which they
// are (see Options.AllowUnknownGenerated).
type UnknownGeneratedError struct {
	File  string
	Pos   uint64
	Table string // db.table
}

// Error names the file, position and table, and the ways to give its
// definition.
func (e *UnknownGeneratedError) Error() string {
	return fmt.Sprintf("%s: position %d: which columns of %s are generated is unknown (a MySQL binlog does not say, and MySQL refuses values for them, ERROR 3105): give the table's definition in a schema file (--schema FILE, from mysqldump --no-data), or read it from a live server (--schema-dsn DSN, or read the binlog from the server itself with -h HOST -u USER -p)", e.File, e.Pos, e.Table)
}

// MismatchError reports a rows event whose Table_map does not fit the
// schema in force at its position; no SQL is written for it.
type MismatchError struct {
	File   string
	Pos    uint64
	Table  string // db.table
	Reason string
}

// Error names the file, position and table, and what does not fit.
func (e *MismatchError) Error() string {
	return fmt.Sprintf("%s: position %d: rows of %s do not fit the schema in force: %s", e.File, e.Pos, e.Table, e.Reason)
}

// AppendEvent consumes the next event of the stream and appends the SQL it
// produces (often none) to dst. Feed it every event a binlog.Reader yields,
// in order: format descriptions, Table_maps and QUERY events carry state
// the rows events need. ev is not kept after the call.
func (g *Generator) AppendEvent(dst []byte, ev *event.Event) ([]byte, error) {
	switch b := ev.Body.(type) {
	case *event.FormatDescription:
		g.mariadb = b.Flavor() == event.MariaDB
		g.lit.opts.MariaDB = g.mariadb
	case *event.TableMap:
		t, err := g.rt.Update(b)
		if err != nil {
			return dst, fmt.Errorf("%s: position %d: %w", ev.File, ev.Pos, err)
		}
		ts := g.tables[b.TableID]
		if ts == nil {
			ts = &tableState{t: t}
			g.tables[b.TableID] = ts
		}
		ts.resolved = false
		g.observe(ts)
		g.beginTrx(ev)
	case *event.Rows:
		g.beginTrx(ev)
		n := len(dst)
		dst, err := g.appendRows(dst, ev, b)
		if len(dst) > n && g.explicit && !g.xa && !g.begun {
			// The transaction's first statement: BEGIN goes before it.
			g.begun = true
			dst = append(dst, beginStmt...)
			copy(dst[n+len(beginStmt):], dst[n:len(dst)-len(beginStmt)])
			copy(dst[n:], beginStmt)
		}
		return dst, err
	case *event.Query:
		return g.appendQuery(dst, ev, b)
	case *event.XID:
		dst = g.endTrx(dst, "COMMIT;\n")
		g.inTrx = false
	case *event.GTID, *event.MariaGTID:
		// A transaction still open has no end in the binlog (the server
		// stopped inside it and rolled it back on recovery): roll it back.
		dst = g.endTrx(dst, "ROLLBACK; # the binlog holds no end of this transaction\n")
		if gt, ok := binlog.GTIDFromEvent(ev.Body, ev.Header.ServerID); ok {
			g.gtid = appendGTID(g.gtid[:0], &gt)
		}
		g.inTrx = true
		g.trxStart = ev.Pos
		if m, ok := b.(*event.MariaGTID); ok && m.Flags&event.MariaGTIDStandalone == 0 {
			g.explicit = true // MariaDB's GTID event stands for BEGIN
		}
		if m, ok := b.(*event.MariaGTID); ok && m.Flags&event.MariaGTIDPreparedXA != 0 {
			g.xa = true
			// MariaDB logs XA START in the GTID event.
			dst = append(dst, "XA START "...)
			dst = appendXID(dst, m.XIDGtrid, m.XIDBqual, int64(m.XIDFormatID))
			dst = append(dst, ';')
			dst = g.appendComment(dst, ev)
			dst = append(dst, '\n')
		}
	case *event.XAPrepare:
		if b.OnePhase {
			dst = append(dst, "XA COMMIT "...)
			dst = appendXID(dst, b.GTRID, b.BQUAL, int64(b.FormatID))
			dst = append(dst, " ONE PHASE;"...)
		} else {
			dst = append(dst, "XA PREPARE "...)
			dst = appendXID(dst, b.GTRID, b.BQUAL, int64(b.FormatID))
			dst = append(dst, ';')
		}
		dst = g.appendComment(dst, ev)
		dst = append(dst, '\n')
		g.inTrx = false
		g.explicit, g.xa, g.begun = false, false, false
	}
	return dst, nil
}

// CheckTableMap reports whether the rows of the table ev's Table_map
// describes can be written as SQL, without writing anything and without
// changing what later events produce: it returns the error AppendEvent
// would return at the table's first rows event (an *UnknownNamesError, an
// *UnknownGeneratedError or a *MismatchError), or nil. A writer that must
// not start output it cannot finish, such as a rollback, checks every table
// first. The stream's FORMAT_DESCRIPTION must have been given to
// AppendEvent before.
func (g *Generator) CheckTableMap(ev *event.Event) error {
	tm, ok := ev.Body.(*event.TableMap)
	if !ok {
		return fmt.Errorf("sqlgen: CheckTableMap given a %v event", ev.Header.Type)
	}
	t, err := rowcodec.NewTable(tm)
	if err != nil {
		return fmt.Errorf("%s: position %d: %w", ev.File, ev.Pos, err)
	}
	ts := &tableState{t: t}
	g.observe(ts)
	return g.resolveTable(ev, ts)
}

// beginStmt opens a source transaction in the output.
const beginStmt = "BEGIN;\n"

// endTrx ends the source transaction in the output with stmt when its
// BEGIN was written, and forgets it.
func (g *Generator) endTrx(dst []byte, stmt string) []byte {
	if g.begun {
		dst = append(dst, stmt...)
	}
	g.explicit, g.xa, g.begun = false, false, false
	return dst
}

// OpenTransaction reports whether the events given so far end inside a
// transaction whose BEGIN and statements were written but whose end was
// not seen (a binlog cut inside it: a crash, a file still being written):
// start is the position of its first event and gtid its GTID ("" when the
// binlog has none). Such output must not be applied as it is: the
// transaction may not have committed.
func (g *Generator) OpenTransaction() (start uint64, gtid string, open bool) {
	if !g.begun {
		return 0, "", false
	}
	return g.trxStart, string(g.gtid), true
}

// IncompleteError reports that the input ended inside a transaction whose
// statements were generated (OpenTransaction): Parallel returns it with the
// output up to that transaction written, and SQL holding the transaction's
// statements, which must not be applied as they are.
type IncompleteError struct {
	File  string // the file of the transaction's first event
	Start uint64 // the position of its first event
	GTID  string // its GTID, "" when the binlog has none
	SQL   []byte
}

// Error names the transaction.
func (e *IncompleteError) Error() string {
	s := fmt.Sprintf("%s: the input ends inside the transaction that starts at %d", e.File, e.Start)
	if e.GTID != "" {
		s += " (gtid " + e.GTID + ")"
	}
	return s + ": its statements are not written as SQL to apply (it may never have committed)"
}

// InTransaction reports whether the events given so far end inside an
// explicit transaction (opened and not ended), whether or not it wrote a
// statement yet: a writer that keeps transactions whole writes what was
// generated up to a point where InTransaction is false.
func (g *Generator) InTransaction() bool { return g.explicit || g.xa }

// observer is implemented by schemas that learn from Table_maps.
type observer interface {
	Observe(t *rowcodec.Table)
}

// observe shows ts's Table to the Metadata and to a schema that learns
// from Table_maps. A Metadata is not shown a Table that has
// not changed (same Generation) when no definition was stored since it last
// was: it would find it the same.
func (g *Generator) observe(ts *tableState) {
	ms, _ := g.schema.(*schema.Metadata)
	same := ts.observed && ts.obsBuilds == ts.t.Generation()
	if !same || ts.obsGen != g.meta.Generation() {
		g.meta.Observe(ts.t)
	}
	if ms != nil {
		if !same || ts.obsSchemaGen != ms.Generation() {
			ms.Observe(ts.t)
		}
		ts.obsSchemaGen = ms.Generation()
	} else if o, ok := g.schema.(observer); ok {
		o.Observe(ts.t)
	}
	ts.observed, ts.obsBuilds, ts.obsGen = true, ts.t.Generation(), g.meta.Generation()
}

// Observe follows an event the caller does not want SQL for (one its filters
// dropped) without producing any: format descriptions, Table_maps and DDL
// still change what later events mean, so the schema in force stays right
// whatever is filtered.
func (g *Generator) Observe(ev *event.Event) error {
	switch b := ev.Body.(type) {
	case *event.FormatDescription, *event.TableMap:
		_, err := g.AppendEvent(nil, ev)
		return err
	case *event.Query:
		switch classifyQuery(bytes.TrimSpace(b.Query)) {
		case stmtDDL, stmtDBDDL:
			if g.tracksDDL() {
				if err := g.schema.ApplyDDL(string(b.Schema), string(b.Query)); err != nil {
					return fmt.Errorf("%s: position %d: schema tracking: %w", ev.File, ev.Pos, err)
				}
			}
		}
	}
	return nil
}

// tracksDDL reports whether the schema follows DDL: a Metadata's
// ApplyDDL does nothing, so it is not given the statement (whose strings
// would be copied for the call).
func (g *Generator) tracksDDL() bool {
	if _, ok := g.schema.(*schema.Metadata); ok {
		return false
	}
	return g.schema != nil
}

// appendGTID appends a GTID's text (as binlog.GTID.String writes it)
// without allocating.
func appendGTID(dst []byte, gt *binlog.GTID) []byte {
	if gt.Flavor == event.MariaDB {
		dst = strconv.AppendUint(dst, uint64(gt.Domain), 10)
		dst = append(dst, '-')
		dst = strconv.AppendUint(dst, uint64(gt.ServerID), 10)
		dst = append(dst, '-')
		return strconv.AppendUint(dst, gt.Seq, 10)
	}
	for i, b := range gt.UUID {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hexDigits[b>>4], hexDigits[b&15])
	}
	dst = append(dst, ':')
	if gt.Tag != "" {
		dst = append(dst, gt.Tag...)
		dst = append(dst, ':')
	}
	return strconv.AppendUint(dst, gt.GNO, 10)
}

// appendXID appends an XA transaction id as X'gtrid',X'bqual',formatID.
func appendXID(dst, gtrid, bqual []byte, formatID int64) []byte {
	dst = appendHex(dst, gtrid)
	dst = append(dst, ',')
	dst = appendHex(dst, bqual)
	dst = append(dst, ',')
	return strconv.AppendInt(dst, formatID, 10)
}

func (g *Generator) beginTrx(ev *event.Event) {
	if !g.inTrx {
		g.inTrx = true
		g.trxStart = ev.Pos
	}
}

// appendQuery handles transaction boundaries and DDL.
func (g *Generator) appendQuery(dst []byte, ev *event.Event, q *event.Query) ([]byte, error) {
	text := bytes.TrimSpace(q.Query)
	class := classifyQuery(text)
	switch class {
	case stmtBegin:
		if !g.inTrx {
			g.inTrx = true
			g.trxStart = ev.Pos
		}
		g.explicit = true
		return dst, nil
	case stmtEnd:
		// ROLLBACK ends a transaction that changed non-transactional
		// tables (their rows are logged): replayed the same way, they stay
		// and the transactional ones go, as on the source.
		if event.ClassifyStatement(text).Kind == event.StatementRollback {
			dst = g.endTrx(dst, "ROLLBACK;\n")
		} else {
			dst = g.endTrx(dst, "COMMIT;\n")
		}
		g.inTrx = false
		g.gtid = g.gtid[:0]
		return dst, nil
	case stmtXA:
		// XA transactions are replayed as XA transactions: a prepared one
		// is committed or rolled back later, as on the source.
		switch st := event.ClassifyStatement(text); st.Kind {
		case event.StatementBegin:
			g.explicit, g.xa, g.begun = true, true, false
		case event.StatementCommit, event.StatementRollback:
			g.explicit, g.xa, g.begun = false, false, false
		default:
			if w := bytes.Fields(text); len(w) > 1 && bytes.EqualFold(w[1], []byte("PREPARE")) {
				g.explicit, g.xa, g.begun = false, false, false
			}
		}
		dst = append(dst, text...)
		dst = append(dst, ';')
		dst = g.appendComment(dst, ev)
		return append(dst, '\n'), nil
	case stmtDDL, stmtDBDDL:
	default:
		return dst, nil
	}
	// MySQL logs CREATE TABLE … SELECT with GTIDs on as one transaction:
	// the CREATE TABLE (with START TRANSACTION), the rows, the XID.
	atomicCreate := false
	if !g.mariadb {
		if st := event.ClassifyStatement(text); st.Verb == event.DDLCreate && st.Object == event.ObjectTable {
			text, atomicCreate = cutStartTransaction(text)
		}
	}
	defer func() {
		g.inTrx = atomicCreate
		if !atomicCreate {
			g.gtid = g.gtid[:0]
		}
		g.explicit, g.xa, g.begun = atomicCreate, false, false
	}()
	if g.tracksDDL() {
		if err := g.schema.ApplyDDL(string(q.Schema), string(q.Query)); err != nil {
			return dst, fmt.Errorf("%s: position %d: schema tracking: %w", ev.File, ev.Pos, err)
		}
	}
	if !g.opts.DDL {
		return dst, nil
	}
	if class == stmtDBDDL {
		// The database may not exist yet (CREATE) or any more (DROP).
		g.useSet = false
	} else if len(q.Schema) > 0 {
		db := g.rewriteDB(q.Schema)
		if !g.useSet || !bytes.Equal(db, g.lastUse) {
			dst = append(dst, "USE "...)
			dst = rowcodec.AppendIdent(dst, db)
			dst = append(dst, ";\n"...)
			g.lastUse = append(g.lastUse[:0], db...)
			g.useSet = true
		}
	}
	// The statement is in the client's character set; the output is utf8mb4.
	if cs := q.Status.CharsetClient; cs != 0 && !utf8Compatible(rowcodec.CharsetName(cs)) {
		if out, ok := rowcodec.AppendUTF8From(g.buf[:0], cs, text); ok {
			g.buf = out
			text = out
		}
	}
	dst = append(dst, text...)
	if last := text[bytes.LastIndexByte(text, '\n')+1:]; bytes.IndexByte(last, '#') >= 0 || bytes.Contains(last, []byte("--")) {
		dst = append(dst, '\n') // the last line may end in a comment
	}
	dst = append(dst, ';')
	g.trxStart = ev.Pos
	dst = g.appendComment(dst, ev)
	return append(dst, '\n'), nil
}

// Statement classes for appendQuery.
const (
	stmtOther = iota
	stmtBegin
	stmtEnd
	stmtXA    // XA START (MySQL), END, COMMIT, ROLLBACK: replayed as they are
	stmtDDL   // table-level DDL: replayed and tracked
	stmtDBDDL // CREATE/ALTER/DROP DATABASE: replayed without USE
)

// classifyQuery tells transaction boundaries and the DDL that shapes tables
// (CREATE/ALTER/DROP TABLE, INDEX, VIEW, SEQUENCE and DATABASE, RENAME
// TABLE, TRUNCATE) from everything else (users, grants, triggers, routines
// and statement-based DML are never replayed: triggers would fire twice).
func classifyQuery(s []byte) int {
	st := event.ClassifyStatement(s)
	switch {
	case st.XA:
		return stmtXA
	case st.Kind == event.StatementBegin:
		return stmtBegin
	case st.Kind == event.StatementCommit, st.Kind == event.StatementRollback:
		return stmtEnd
	case st.Kind != event.StatementDDL:
		return stmtOther
	}
	switch st.Object {
	case event.ObjectTable, event.ObjectIndex, event.ObjectView, event.ObjectSequence:
		return stmtDDL
	case event.ObjectDatabase:
		return stmtDBDDL
	}
	return stmtOther
}

func (g *Generator) rewriteDB(db []byte) []byte {
	if g.opts.RewriteDB != nil {
		if to, ok := g.opts.RewriteDB[string(db)]; ok {
			return []byte(to)
		}
	}
	return db
}

// appendComment appends the position comment of a statement (nothing with
// NoComments).
func (g *Generator) appendComment(dst []byte, ev *event.Event) []byte {
	if g.opts.NoComments {
		return dst
	}
	dst = append(dst, " # start "...)
	dst = strconv.AppendUint(dst, g.trxStart, 10)
	dst = append(dst, " end "...)
	dst = strconv.AppendUint(dst, ev.NextPos, 10)
	dst = append(dst, " time "...)
	if ts := ev.Header.Timestamp; ts != g.timeOf || g.timeText == nil {
		g.timeText = time.Unix(int64(ts), 0).In(g.opts.Location).AppendFormat(g.timeText[:0], "2006-01-02 15:04:05")
		g.timeOf = ts
	}
	dst = append(dst, g.timeText...)
	if len(g.gtid) > 0 {
		dst = append(dst, " gtid "...)
		dst = append(dst, g.gtid...)
	}
	return dst
}

// resolve decides the column names, keys and skipped columns of ts for a
// rows event at ev.
func (g *Generator) resolve(ev *event.Event, ts *tableState) error {
	t := ts.t
	// Without a schema, or with a Metadata, what the schemas return
	// changes only with their generations.
	schemaGen, tracked := uint64(0), g.schema == nil
	if ms, ok := g.schema.(*schema.Metadata); ok {
		if ms != nil {
			schemaGen, tracked = ms.Generation(), true
		}
	} else if v, ok := g.schema.(schema.Versioned); ok {
		schemaGen, tracked = v.Generation(), true
	}
	if tracked && ts.built && ts.resBuilds == t.Generation() && ts.resGen == g.meta.Generation() && ts.resSchemaGen == schemaGen {
		// Neither the Table nor what the schemas return for it changed
		// since the last resolution, which this one would repeat.
		ts.resolved = true
		return nil
	}
	if err := g.resolveTable(ev, ts); err != nil {
		return err
	}
	if tracked && ts.built {
		ts.resBuilds, ts.resGen, ts.resSchemaGen = t.Generation(), g.meta.Generation(), schemaGen
	}
	return nil
}

// resolveTable is resolve without its shortcut.
func (g *Generator) resolveTable(ev *event.Event, ts *tableState) error {
	t := ts.t
	var src *schema.Table
	// Whether src comes from a definition (DDL, a schema file, a server)
	// rather than from Table_maps, which do not flag generated columns.
	defined := false
	if ms, ok := g.schema.(*schema.Metadata); ok && ms != nil {
		src = ms.Lookup(t.Schema, t.Name)
	} else if g.schema != nil {
		defined = true
		var err error
		src, err = g.schema.Table(string(t.Schema), string(t.Name))
		if err != nil {
			return fmt.Errorf("%s: position %d: schema of %s.%s: %w", ev.File, ev.Pos, t.Schema, t.Name, err)
		}
	}
	logged := g.meta.Lookup(t.Schema, t.Name)
	if logged != nil && len(logged.Columns) != len(t.Columns) {
		logged = nil // names not logged this time
	}
	if logged != nil {
		for i := range t.Columns {
			if t.Columns[i].Name == nil {
				logged = nil
				break
			}
		}
	}
	def := logged
	if def == nil {
		def = src
	}
	if ts.built && ts.schema == def && ts.src == src && def != nil {
		// Same definitions as for the previous Table_map of this id (the
		// usual case: one Table_map per transaction): only the types may
		// have changed, so check them again, unless the Table was not
		// rebuilt since they were checked.
		if !ts.typesOK || ts.typesGen != t.Generation() {
			if err := checkTypes(ev, t, ts.extra); err != nil {
				return err
			}
			schema.SetPrecisions(t, ts.prec)
			ts.typesOK, ts.typesGen = true, t.Generation()
		}
		ts.resolved = true
		return nil
	}
	ts.built = false
	ts.typesOK = false
	ts.ins.valid = false
	ts.prec = nil
	ts.src = src
	ts.schema = def
	ts.qname = rowcodec.AppendIdent(ts.qname[:0], g.rewriteDB(t.Schema))
	ts.qname = append(ts.qname, '.')
	ts.qname = rowcodec.AppendIdent(ts.qname, t.Name)
	n := len(t.Columns)
	if def == nil {
		if !g.opts.Positional {
			return &UnknownNamesError{File: ev.File, Pos: ev.Pos, Table: string(t.Schema) + "." + string(t.Name)}
		}
		ts.idents = ts.idents[:0]
		for i := 0; i < n; i++ {
			ts.idents = append(ts.idents, []byte("@"+strconv.Itoa(i+1)))
		}
		ts.skip = make([]bool, n)
		ts.pk, ts.uniq = nil, nil
		ts.resolved = true
		return nil
	}
	if len(def.Columns) != n {
		if stored := storedColumns(def); stored != nil && len(stored.Columns) == n {
			// The server did not log the generated columns: the others
			// are the Table_map's, in order.
			def = stored
			src = stored
			ts.schema = def
		}
	}
	if len(def.Columns) != n {
		return &MismatchError{File: ev.File, Pos: ev.Pos, Table: string(t.Schema) + "." + string(t.Name),
			Reason: fmt.Sprintf("the Table_map has %d columns, the schema %d", n, len(def.Columns))}
	}
	// Extra knowledge from the other source when it describes the same
	// columns (generated flags, unique keys, declared types).
	extra := src
	if def == logged && src != nil && !sameNames(src, logged) {
		extra = nil
	}
	if err := checkTypes(ev, t, extra); err != nil {
		return err
	}
	known := defined && extra != nil
	var genByName []bool
	if !known && defined && src != nil && def == logged {
		// The definition is another version of the table (a column added
		// or dropped since the rows were logged): the logged names find
		// their columns, and generated flags, in it.
		genByName = generatedByName(logged, src)
		known = genByName != nil
	}
	if !g.mariadb && !g.opts.AllowUnknownGenerated && !known {
		return &UnknownGeneratedError{File: ev.File, Pos: ev.Pos, Table: string(t.Schema) + "." + string(t.Name)}
	}
	ts.extra = extra
	// The precisions of MariaDB's older temporal formats, which no
	// Table_map carries, come from a definition (a schema file, the
	// stream's DDL, a server), never from Table_map metadata.
	ts.prec = def
	if def == logged {
		ts.prec = extra
	}
	schema.SetPrecisions(t, ts.prec)
	if ts.prec == nil && src != nil && t.NeedsPrecision() {
		// The schema knows another version of the table: say so rather
		// than that the precisions are unknown.
		return &MismatchError{File: ev.File, Pos: ev.Pos, Table: string(t.Schema) + "." + string(t.Name),
			Reason: fmt.Sprintf("its TIME, DATETIME and TIMESTAMP columns in MariaDB's older formats take their precisions from the schema, whose definition of the table has other columns (%d, the Table_map %d, or other names)", len(src.Columns), n)}
	}
	ts.idents = ts.idents[:0]
	ts.skip = ts.skip[:0]
	for i := range def.Columns {
		ts.idents = append(ts.idents, rowcodec.AppendIdent(nil, []byte(def.Columns[i].Name)))
		gen := def.Columns[i].Generated || extra != nil && extra.Columns[i].Generated || genByName != nil && genByName[i]
		ts.skip = append(ts.skip, gen)
	}
	ts.pk = def.PrimaryKey
	if len(ts.pk) == 0 && extra != nil {
		ts.pk = extra.PrimaryKey
	}
	ts.uniq = def.UniqueKeys
	if len(ts.uniq) == 0 && extra != nil {
		ts.uniq = extra.UniqueKeys
	}
	for _, k := range ts.pk {
		if k < 0 || k >= n {
			ts.pk = nil
			break
		}
	}
	ts.resolved = true
	ts.built = true
	return nil
}

// storedColumns returns def without its generated columns (keys remapped,
// keys through a generated column dropped), or nil when it has none.
func storedColumns(def *schema.Table) *schema.Table {
	idx := make([]int, len(def.Columns))
	out := &schema.Table{Database: def.Database, Name: def.Name}
	for i, c := range def.Columns {
		if c.Generated {
			idx[i] = -1
			continue
		}
		idx[i] = len(out.Columns)
		out.Columns = append(out.Columns, c)
	}
	if len(out.Columns) == len(def.Columns) {
		return nil
	}
	remap := func(key []int) []int {
		var k []int
		for _, i := range key {
			if i < 0 || i >= len(idx) || idx[i] < 0 {
				return nil
			}
			k = append(k, idx[i])
		}
		return k
	}
	out.PrimaryKey = remap(def.PrimaryKey)
	for _, u := range def.UniqueKeys {
		if k := remap(u); k != nil {
			out.UniqueKeys = append(out.UniqueKeys, k)
		}
	}
	return out
}

// checkTypes checks the Table_map's column types against the declared
// types of extra (nil: nothing to check).
func checkTypes(ev *event.Event, t *rowcodec.Table, extra *schema.Table) error {
	if extra == nil {
		return nil
	}
	if len(extra.Columns) != len(t.Columns) {
		return &MismatchError{File: ev.File, Pos: ev.Pos, Table: string(t.Schema) + "." + string(t.Name),
			Reason: fmt.Sprintf("the Table_map has %d columns, the schema %d", len(t.Columns), len(extra.Columns))}
	}
	for i := range t.Columns {
		if extra.Columns[i].Type == "" {
			continue
		}
		if !typeFits(extra.Columns[i].Type, &t.Columns[i]) {
			return &MismatchError{File: ev.File, Pos: ev.Pos, Table: string(t.Schema) + "." + string(t.Name),
				Reason: fmt.Sprintf("column %d (%s) is %s in the schema but %s in the Table_map", i+1, extra.Columns[i].Name, extra.Columns[i].Type, t.Columns[i].Type.String())}
		}
	}
	return nil
}

// generatedByName returns, for each column of logged, whether the column
// of the same name in def is generated, or nil when def lacks one of them.
func generatedByName(logged, def *schema.Table) []bool {
	gen := make([]bool, len(logged.Columns))
	for i, c := range logged.Columns {
		j := slices.IndexFunc(def.Columns, func(d schema.Column) bool { return strings.EqualFold(d.Name, c.Name) })
		if j < 0 {
			return nil
		}
		gen[i] = def.Columns[j].Generated
	}
	return gen
}

func sameNames(a, b *schema.Table) bool {
	if len(a.Columns) != len(b.Columns) {
		return false
	}
	for i := range a.Columns {
		if !strings.EqualFold(a.Columns[i].Name, b.Columns[i].Name) {
			return false
		}
	}
	return true
}

// typeFits reports whether a declared SQL type can be the logged column
// type; unknown declarations fit.
func typeFits(decl string, c *rowcodec.Column) bool {
	// The type's name only: an ENUM's or SET's declaration runs to
	// kilobytes, and tables are resolved again as their definitions change.
	d := strings.TrimSpace(decl)
	for i := 0; i < len(d); i++ {
		if d[i] == '(' || d[i] == ' ' {
			d = d[:i]
			break
		}
	}
	d = strings.ToLower(d)
	var want []event.ColumnType
	switch d {
	case "tinyint", "bool", "boolean":
		want = []event.ColumnType{event.ColumnTypeTiny}
	case "smallint":
		want = []event.ColumnType{event.ColumnTypeShort}
	case "mediumint":
		want = []event.ColumnType{event.ColumnTypeInt24}
	case "int", "integer":
		want = []event.ColumnType{event.ColumnTypeLong}
	case "bigint":
		want = []event.ColumnType{event.ColumnTypeLongLong}
	case "decimal", "numeric", "dec", "fixed":
		want = []event.ColumnType{event.ColumnTypeNewDecimal, event.ColumnTypeDecimal}
	case "float":
		want = []event.ColumnType{event.ColumnTypeFloat, event.ColumnTypeDouble}
	case "double", "real":
		want = []event.ColumnType{event.ColumnTypeDouble}
	case "date":
		want = []event.ColumnType{event.ColumnTypeDate, event.ColumnTypeNewDate}
	case "time":
		want = []event.ColumnType{event.ColumnTypeTime, event.ColumnTypeTime2}
	case "datetime":
		want = []event.ColumnType{event.ColumnTypeDatetime, event.ColumnTypeDatetime2}
	case "timestamp":
		want = []event.ColumnType{event.ColumnTypeTimestamp, event.ColumnTypeTimestamp2}
	case "year":
		want = []event.ColumnType{event.ColumnTypeYear}
	case "bit":
		want = []event.ColumnType{event.ColumnTypeBit}
	case "enum":
		want = []event.ColumnType{event.ColumnTypeEnum}
	case "set":
		want = []event.ColumnType{event.ColumnTypeSet}
	case "char", "varchar", "binary", "varbinary", "nchar", "nvarchar":
		want = []event.ColumnType{event.ColumnTypeString, event.ColumnTypeVarchar, event.ColumnTypeVarString}
	case "tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob", "longblob", "long":
		want = []event.ColumnType{event.ColumnTypeBlob, event.ColumnTypeTinyBlob, event.ColumnTypeMediumBlob, event.ColumnTypeLongBlob}
	case "json":
		// MariaDB's JSON is LONGTEXT.
		want = []event.ColumnType{event.ColumnTypeJSON, event.ColumnTypeBlob}
	case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection", "geomcollection":
		want = []event.ColumnType{event.ColumnTypeGeometry}
	case "vector":
		want = []event.ColumnType{event.ColumnTypeVector}
	default:
		return true
	}
	return slices.Index(want, c.Type) >= 0
}

// appendRows writes the statements of one rows event.
func (g *Generator) appendRows(dst []byte, ev *event.Event, r *event.Rows) ([]byte, error) {
	kind := r.Kind()
	want := g.opts.SQLTypes
	if want == 0 {
		want = SQLInsert | SQLUpdate | SQLDelete
	}
	switch kind {
	case event.RowsWrite:
		if want&SQLInsert == 0 {
			return dst, nil
		}
	case event.RowsUpdate:
		if want&SQLUpdate == 0 {
			return dst, nil
		}
	case event.RowsDelete:
		if want&SQLDelete == 0 {
			return dst, nil
		}
	default:
		return dst, nil
	}
	ts := g.tables[r.TableID]
	if ts == nil {
		if ev.Table == nil {
			return dst, fmt.Errorf("%s: position %d: rows event for table id %d without a Table_map", ev.File, ev.Pos, r.TableID)
		}
		t, err := g.rt.ForRows(ev)
		if err != nil {
			return dst, err
		}
		ts = &tableState{t: t}
		g.meta.Observe(ts.t)
		ts.observed, ts.obsBuilds, ts.obsGen = true, ts.t.Generation(), g.meta.Generation()
		if ms, ok := g.schema.(*schema.Metadata); ok && ms != nil {
			ts.obsSchemaGen = ms.Generation() - 1 // never shown to it here
		}
		g.tables[r.TableID] = ts
	}
	if !ts.resolved {
		if err := g.resolve(ev, ts); err != nil {
			return dst, err
		}
	}
	if uint64(len(ts.t.Columns)) != r.ColumnCount {
		return dst, &MismatchError{File: ev.File, Pos: ev.Pos, Table: string(ts.t.Schema) + "." + string(ts.t.Name),
			Reason: fmt.Sprintf("the rows event has %d columns, its Table_map %d", r.ColumnCount, len(ts.t.Columns))}
	}
	n := len(ts.t.Columns)
	if cap(g.before) < n {
		g.before = make([]rowcodec.Value, n)
		g.after = make([]rowcodec.Value, n)
	}
	var before, after []rowcodec.Value
	if kind != event.RowsWrite {
		before = g.before[:n]
	}
	if kind != event.RowsDelete {
		after = g.after[:n]
	}
	positional := ts.schema == nil
	it := ts.t.Rows(r, before, after)
	batch := 0
	prev := 0
	for it.Next() {
		if off := it.Offset(); off <= prev {
			// A row image of no bytes (no column present) would repeat
			// for ever.
			return dst, fmt.Errorf("%s: position %d: %s.%s: a row image of no bytes at offset %d: %w", ev.File, ev.Pos, ts.t.Schema, ts.t.Name, prev, event.ErrCorrupt)
		} else {
			prev = off
		}
		start := len(dst)
		if positional && batch == 0 {
			dst = append(dst, "# "...)
		}
		var err error
		switch kind {
		case event.RowsWrite:
			if out, ok, serr := g.appendSequence(dst, ts, it.After); ok || serr != nil {
				if serr != nil {
					return dst[:start], g.rowError(ev, ts, serr)
				}
				dst = g.appendComment(out, ev)
				dst = append(dst, '\n')
				continue
			}
			max := g.opts.BatchRows
			if positional {
				max = 1
			}
			dst, batch, err = g.appendInsert(dst, ts, r.ColumnsAfter, it.After, batch, max)
			if batch > 0 {
				continue // the batch goes on: the comment comes at its end
			}
		case event.RowsUpdate:
			var ok bool
			dst, ok, err = g.appendUpdate(dst, ts, it.Before, it.After)
			if err == nil && !ok {
				dst = dst[:start]
				continue
			}
		case event.RowsDelete:
			dst, err = g.appendDelete(dst, ts, it.Before)
		}
		if err != nil {
			return dst[:start], g.rowError(ev, ts, err)
		}
		dst = append(dst, ';')
		dst = g.appendComment(dst, ev)
		dst = append(dst, '\n')
	}
	if err := it.Err(); err != nil {
		return dst, fmt.Errorf("%s: position %d: %w", ev.File, ev.Pos, err)
	}
	if batch > 0 {
		dst = append(dst, ';')
		dst = g.appendComment(dst, ev)
		dst = append(dst, '\n')
	}
	return dst, nil
}

func (g *Generator) rowError(ev *event.Event, ts *tableState, err error) error {
	return fmt.Errorf("%s: position %d: %s.%s: %w", ev.File, ev.Pos, ts.t.Schema, ts.t.Name, err)
}

func (g *Generator) isPK(ts *tableState, i int) bool {
	for _, k := range ts.pk {
		if k == i {
			return true
		}
	}
	return false
}

// appendSequence writes the row of a MariaDB SEQUENCE logged without all
// its columns (a MINIMAL image) as SETVAL: an INSERT would reset the
// columns the image left out. ok is false for other tables and full rows.
func (g *Generator) appendSequence(dst []byte, ts *tableState, row []rowcodec.Value) ([]byte, bool, error) {
	if len(row) != 8 || string(ts.idents[0]) != "`next_not_cached_value`" || string(ts.idents[7]) != "`cycle_count`" {
		return dst, false, nil
	}
	full := true
	for i := range row {
		full = full && !row[i].IsAbsent()
	}
	if full || row[0].IsAbsent() {
		return dst, false, nil
	}
	dst = append(dst, "SELECT SETVAL("...)
	dst = append(dst, ts.qname...)
	dst = append(dst, ", "...)
	var err error
	if dst, err = g.lit.append(dst, &ts.t.Columns[0], row[0], nil); err != nil {
		return dst, true, err
	}
	dst = append(dst, ", 0"...)
	if !row[7].IsAbsent() && !row[7].IsNull() {
		dst = append(dst, ", "...)
		if dst, err = g.lit.append(dst, &ts.t.Columns[7], row[7], nil); err != nil {
			return dst, true, err
		}
	}
	return append(dst, ");"...), true, nil
}

// insertPlan returns the INSERT plan of ts for the columns-present bitmap
// of an after image (nil: every column), building it when the bitmap, the
// column count or the resolution changed.
func (g *Generator) insertPlan(ts *tableState, present []byte, n int) *insertPlan {
	p := &ts.ins
	if p.valid && p.n == n && p.all == (present == nil) && string(p.present) == string(present) {
		return p
	}
	p.valid, p.n, p.all = false, n, present == nil
	p.present = append(p.present[:0], present...)
	p.cols = p.cols[:0]
	for i := 0; i < n; i++ {
		if (present == nil || i/8 < len(present) && present[i/8]&(1<<(i%8)) != 0) &&
			!ts.skip[i] && !(g.opts.NoPrimaryKey && g.isPK(ts, i)) {
			p.cols = append(p.cols, i)
		}
	}
	if g.opts.Replace {
		p.head = append(p.head[:0], "REPLACE INTO "...)
	} else {
		p.head = append(p.head[:0], "INSERT INTO "...)
	}
	p.head = append(p.head, ts.qname...)
	p.head = append(p.head, " ("...)
	for j, i := range p.cols {
		if j > 0 {
			p.head = append(p.head, ',')
		}
		p.head = append(p.head, ts.idents[i]...)
	}
	p.head = append(p.head, ") VALUES ("...)
	p.valid = true
	return p
}

// appendInsert appends one row of INSERT (or REPLACE); present is the
// after image's columns-present bitmap (nil: every column), which row
// follows (absent exactly where its bit is clear). batch is the number of
// rows already in the open multi-row statement; the returned batch is the
// number after this row (0 when the statement is complete without its
// terminator).
func (g *Generator) appendInsert(dst []byte, ts *tableState, present []byte, row []rowcodec.Value, batch, max int) ([]byte, int, error) {
	p := g.insertPlan(ts, present, len(row))
	if batch > 0 {
		dst = append(dst, ",\n("...)
	} else {
		dst = append(dst, p.head...)
	}
	g.lit.opts.Compare = false
	for j, i := range p.cols {
		if j > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, err = g.lit.append(dst, &ts.t.Columns[i], row[i], ts.idents[i]); err != nil {
			return dst, 0, colErr(ts, i, err)
		}
	}
	dst = append(dst, ')')
	if batch++; max > 1 && batch < max {
		return dst, batch, nil
	}
	return dst, 0, nil // complete: the caller terminates it
}

func colErr(ts *tableState, i int, err error) error {
	return fmt.Errorf("column %s: %w", ts.idents[i], err)
}

// appendUpdate appends an UPDATE; ok is false when nothing would change.
func (g *Generator) appendUpdate(dst []byte, ts *tableState, before, after []rowcodec.Value) ([]byte, bool, error) {
	dst = append(dst, "UPDATE "...)
	dst = append(dst, ts.qname...)
	dst = append(dst, " SET "...)
	first := true
	g.lit.opts.Compare = false
	for i := range after {
		v := after[i]
		if v.IsAbsent() || ts.skip[i] {
			continue
		}
		if !g.opts.FullColumns && !before[i].IsAbsent() && v.Equal(before[i]) {
			continue
		}
		if !first {
			dst = append(dst, ", "...)
		}
		first = false
		dst = append(dst, ts.idents[i]...)
		dst = append(dst, '=')
		var err error
		if dst, err = g.lit.append(dst, &ts.t.Columns[i], v, ts.idents[i]); err != nil {
			return dst, false, colErr(ts, i, err)
		}
	}
	if first {
		return dst, false, nil
	}
	dst, err := g.appendWhere(dst, ts, before)
	return dst, true, err
}

// appendDelete appends a DELETE.
func (g *Generator) appendDelete(dst []byte, ts *tableState, before []rowcodec.Value) ([]byte, error) {
	dst = append(dst, "DELETE FROM "...)
	dst = append(dst, ts.qname...)
	return g.appendWhere(dst, ts, before)
}

// keyUsable reports whether every column of key is present and not NULL.
func keyUsable(key []int, row []rowcodec.Value) bool {
	if len(key) == 0 {
		return false
	}
	for _, k := range key {
		if k >= len(row) || row[k].IsAbsent() || row[k].IsNull() {
			return false
		}
	}
	return true
}

// appendWhere appends the WHERE clause that finds the before image: on the
// primary key or a NOT NULL unique key when known and present, else on
// every present column with NULL-safe comparison and LIMIT 1.
func (g *Generator) appendWhere(dst []byte, ts *tableState, row []rowcodec.Value) ([]byte, error) {
	key := ts.pk
	if !keyUsable(key, row) {
		key = nil
		for _, u := range ts.uniq {
			if keyUsable(u, row) {
				key = u
				break
			}
		}
	}
	g.lit.opts.Compare = true
	defer func() { g.lit.opts.Compare = false }()
	dst = append(dst, " WHERE "...)
	var err error
	if key != nil {
		for j, k := range key {
			if j > 0 {
				dst = append(dst, " AND "...)
			}
			dst = append(dst, ts.idents[k]...)
			dst = append(dst, '=')
			if dst, err = g.lit.append(dst, &ts.t.Columns[k], row[k], ts.idents[k]); err != nil {
				return dst, colErr(ts, k, err)
			}
		}
		return dst, nil
	}
	first := true
	for i := range row {
		if row[i].IsAbsent() || ts.skip[i] {
			continue
		}
		if !first {
			dst = append(dst, " AND "...)
		}
		first = false
		dst = append(dst, ts.idents[i]...)
		dst = append(dst, "<=>"...)
		if dst, err = g.lit.append(dst, &ts.t.Columns[i], row[i], ts.idents[i]); err != nil {
			return dst, colErr(ts, i, err)
		}
	}
	if first {
		return dst, errors.New("the before image has no column to find the row by")
	}
	return append(dst, " LIMIT 1"...), nil
}
