package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	_ "github.com/go-sql-driver/mysql" // --schema-dsn

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/bin"
	"github.com/binlogkit/binlogkit/rowcodec"
	"github.com/binlogkit/binlogkit/schema"
)

// Schema is the table definitions a tool follows through the stream, for
// what rows events do not carry (the precision of MariaDB's older temporal
// formats): a schema file (--schema FILE), a live server (--schema-dsn
// DSN), or, without either, the stream's own CREATE and ALTER statements.
// The tool shows it every event, filtered or not (Observe), and asks it
// for a table's precisions before decoding the table's rows (SetPrecision).
// Its methods may be called from several goroutines; a tool that decodes
// batches of transactions in parallel hands Barrier to binlog.Parallel, so
// each batch reads the definitions of its position.
type Schema struct {
	mu     sync.Mutex
	p      schema.Provider
	db     *sql.DB
	warn   io.Writer
	warned int
	// Barrier applies DDL itself in stream order, but for that of the
	// transactions it makes barriers, which Observe applies; barriers is
	// set once Barrier is called, and deferred holds the positions of the
	// DDL left to Observe (nDeferred their number, read without the lock:
	// while it is 0, Observe skips every statement Barrier saw).
	barriers  atomic.Bool
	deferred  map[ddlAt]struct{}
	nDeferred atomic.Int64

	// What Barrier knows, in stream order (one goroutine).
	lookups  bool                // a TABLE_MAP whose rows need precisions (or a payload) was seen
	fixed    bool                // definitions from a file or a server: every DDL is a barrier
	temporal map[string]struct{} // "db\x00table" and "db\x00" (lower case) of DDL naming a temporal type
	folded   []byte              // the statement last looked at, case folded (foldCase)
	// factsByText keeps the ddlFacts of statements by text (factsBytes of
	// it); see facts.
	factsByText map[string]*ddlFacts
	factsBytes  int
	key         []byte // a temporal key being built
}

// ddlAt is where a DDL event is.
type ddlAt struct {
	file string
	pos  uint64
}

// SchemaUsage is the text of the --schema and --schema-dsn flags of tools
// that decode rows.
const (
	SchemaUsage    = "read table definitions from this `file` of CREATE TABLE statements (mysqldump --no-data output): the precision of MariaDB's older TIME(n)/DATETIME(n)/TIMESTAMP(n) columns, which binlogs do not carry, when the stream holds no CREATE TABLE of them"
	SchemaDSNUsage = "read table definitions from this server (`dsn` as go-sql-driver/mysql spells it: user:pass@tcp(host:3306)/), as --schema does"
)

// OpenSchema returns the Schema of the flags: file, dsn, or neither (the
// stream's DDL). Warnings (DDL that does not parse; at most 5) go to warn
// when it is not nil.
func OpenSchema(ctx context.Context, file, dsn string, warn io.Writer) (*Schema, error) {
	s := &Schema{warn: warn}
	switch {
	case file != "" && dsn != "":
		return nil, Usagef("--schema and --schema-dsn go one at a time")
	case file != "":
		c, err := schema.LoadFile(file)
		if err != nil {
			return nil, fmt.Errorf("--schema %s: %w", file, err)
		}
		s.p, s.fixed = c, true
	case dsn != "":
		db, err := sql.Open("mysql", dsn)
		if err != nil {
			return nil, fmt.Errorf("--schema-dsn: %w", err)
		}
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("--schema-dsn: %w", err)
		}
		s.db, s.fixed = db, true
		s.p = schema.NewServer(ctx, db)
	default:
		s.p = schema.NewCatalog()
	}
	return s, nil
}

// NewStreamSchema returns a Schema that follows the stream's DDL into p,
// as OpenSchema's does into a new schema.Catalog (p reports the statements
// it cannot read itself when warn is nil).
func NewStreamSchema(p schema.Provider, warn io.Writer) *Schema { return &Schema{p: p, warn: warn} }

// ObserveFilter returns a filter that keeps every event and calls Observe
// with it, for the Readers of binlog.Parallel's workers. It judges the
// events other than QUERY before decoding (binlog.EarlyFilter).
func (s *Schema) ObserveFilter() binlog.Filter { return observer{s} }

type observer struct{ s *Schema }

// Keep implements binlog.Filter.
func (o observer) Keep(ev *event.Event) bool {
	o.s.Observe(ev)
	return true
}

// KeepEarly implements binlog.EarlyFilter.
func (o observer) KeepEarly(ev *event.Event, _ *binlog.TableName) (keep, decided bool) {
	switch ev.Header.Type {
	case event.QueryEvent, event.MariaQueryCompressedEvent:
		return false, false
	}
	return true, true
}

// Provider returns the definitions as a schema.Provider.
func (s *Schema) Provider() schema.Provider { return s.p }

// Observe follows ev when it is DDL (whether the tool's filters keep it or
// not: later rows need the definitions in force). A statement the parser
// cannot read is a warning: rows of its table then stop with an error
// naming the table rather than being misread.
func (s *Schema) Observe(ev *event.Event) {
	q, ok := ev.Body.(*event.Query)
	if !ok {
		return
	}
	// Barrier sees every statement outside transaction payloads, in
	// stream order, before the batch holding it is read; the workers of a
	// file with much DDL then take no lock for it.
	seen := s.barriers.Load() && !ev.InPayload
	if seen && s.nDeferred.Load() == 0 {
		return
	}
	if q.Statement().Kind != event.StatementDDL {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if seen {
		at := ddlAt{ev.File, ev.Pos}
		if _, ok := s.deferred[at]; !ok {
			return // applied by Barrier
		}
		delete(s.deferred, at)
		s.nDeferred.Add(-1)
	}
	s.applyLocked(ev, q, string(q.Query))
}

// applyLocked applies the DDL q of ev, whose text is text.
func (s *Schema) applyLocked(ev *event.Event, q *event.Query, text string) {
	if err := s.p.ApplyDDL(string(q.Schema), text); err != nil && s.warn != nil {
		if s.warned++; s.warned <= 5 {
			fmt.Fprintf(s.warn, "# warning: %s: at byte %d: schema tracking: %s\n", ev.File, ev.Pos,
				strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(err.Error()))
		}
	}
}

// SetPrecision gives t the precisions of its table's definition in force
// (schema.PrecisionSetter), when some of its columns need one.
func (s *Schema) SetPrecision(t *rowcodec.Table) error {
	if !t.NeedsPrecision() {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return schema.PrecisionSetter(s.p)(t)
}

// Barrier is binlog.ParallelOptions.Barrier for a tool that calls Observe
// and SetPrecision from the workers of binlog.Parallel: it is called in
// stream order and reports the DDL after which a batch may read other
// precisions than before it. Such DDL gets a batch of its own, which
// Observe applies when every earlier batch is done and no later one has
// started. Other DDL cannot change what SetPrecision reads, only the
// definitions later DDL builds on: Barrier applies it at once, in stream
// order, and Observe skips it. A file with much DDL then keeps its workers
// busy (DDL was a third of the transactions of the project's benchmark
// input, and a barrier at each made the parallel run slower than one
// goroutine).
//
// Until a TABLE_MAP with a column of the old TIME, DATETIME or TIMESTAMP
// types (or a TRANSACTION_PAYLOAD, whose table maps are not read here) has
// gone by, no batch asks for a precision, so no DDL is a barrier. From then
// on, a barrier is DDL whose text names a temporal type ("time" in TIME,
// DATETIME, TIMESTAMP), copies a definition (LIKE, SELECT), or changes a
// table or database such DDL named before; DDL whose tables cannot be told
// (event.StatementTables); and every DDL once a temporal table is renamed
// by ALTER TABLE (whose new name is not read) or when the definitions come
// from a file or a server.
//
// Once Barrier has been called, Observe leaves it every statement outside
// transaction payloads: a Schema whose Barrier one binlog.Parallel run used
// follows that run only.
func (s *Schema) Barrier(ev *event.Event) bool {
	switch ev.Header.Type {
	case event.TableMapEvent:
		s.lookups = s.lookups || oldTemporal(ev)
		return false
	case event.TransactionPayloadEvent:
		s.lookups = true
		return false
	}
	q, ok := ev.Body.(*event.Query)
	if !ok {
		return false
	}
	f := s.facts(q.Query)
	if f == nil {
		return false // not DDL
	}
	if !s.barriers.Load() {
		s.barriers.Store(true)
	}
	// Followed for every DDL, so that a table made with temporal columns
	// before the first lookup is known as such after it.
	if s.precisionDDL(q, f) && s.lookups {
		s.mu.Lock()
		if s.deferred == nil {
			s.deferred = make(map[ddlAt]struct{})
		}
		s.deferred[ddlAt{ev.File, ev.Pos}] = struct{}{}
		s.nDeferred.Add(1)
		s.mu.Unlock()
		return true
	}
	s.mu.Lock()
	s.applyLocked(ev, q, f.text)
	s.mu.Unlock()
	return false
}

// ddlFacts is what Barrier reads from the text of a DDL statement.
type ddlFacts struct {
	text        string // the statement
	named       bool   // it names a temporal type ("time"), LIKE or SELECT
	alterRename bool   // ALTER … RENAME
	refs        []event.TableRef
	refsOK      bool // event.StatementTables told them
}

// Bounds of Barrier's ddlFacts cache: the statements, the bytes of their
// text, the longest statement kept.
const (
	maxFacts      = 1024
	maxFactsBytes = 1 << 20
	maxFactBytes  = 64 << 10
)

// facts returns what Barrier reads from the statement text q, nil when it
// is not DDL. The facts of a statement are kept by its text (files with
// much DDL repeat the same statements, and the cost of reading them again
// on the goroutine that cuts the batches made their DDL the slowest part
// of a parallel run); the text is then handed to the definitions as
// kept, not copied again.
func (s *Schema) facts(q []byte) *ddlFacts {
	if f, ok := s.factsByText[string(q)]; ok {
		return f
	}
	st := event.ClassifyStatement(q)
	if st.Kind != event.StatementDDL {
		return nil
	}
	s.folded = foldCase(s.folded, q)
	f := &ddlFacts{
		text: string(q),
		named: bytes.Contains(s.folded, []byte("time")) || bytes.Contains(s.folded, []byte("like")) ||
			bytes.Contains(s.folded, []byte("select")),
		alterRename: st.Verb == event.DDLAlter && bytes.Contains(s.folded, []byte("rename")),
	}
	f.refs, f.refsOK = event.StatementTables(q)
	if len(q) <= maxFactBytes {
		if s.factsByText == nil || len(s.factsByText) >= maxFacts || s.factsBytes+len(q) > maxFactsBytes {
			s.factsByText, s.factsBytes = make(map[string]*ddlFacts), 0
		}
		s.factsByText[f.text] = f
		s.factsBytes += len(q)
	}
	return f
}

// precisionDDL reports whether the DDL q (whose facts are f) may change
// the precisions of a table (see Barrier), and records the tables whose
// later DDL may.
func (s *Schema) precisionDDL(q *event.Query, f *ddlFacts) bool {
	if !f.refsOK || len(f.refs) == 0 {
		if f.named {
			s.fixed = true // which tables got temporal columns is not known
		}
		return true
	}
	if s.fixed {
		return true
	}
	if s.temporal == nil {
		s.temporal = make(map[string]struct{})
	}
	key := func(db, table string) []byte {
		b := s.key[:0]
		if db == "" {
			b = append(b, q.Schema...)
		} else {
			b = append(b, db...)
		}
		b = append(b, 0)
		b = append(b, table...)
		s.key = lowerKey(b)
		return s.key
	}
	changes := f.named
	for _, r := range f.refs {
		if _, ok := s.temporal[string(key(r.DB, r.Table))]; ok {
			changes = true
		}
	}
	if !changes {
		return false
	}
	if f.alterRename {
		s.fixed = true // the new name is not read: every DDL from here on
	}
	for _, r := range f.refs { // RENAME TABLE a TO b: b is a's
		s.temporal[string(key(r.DB, r.Table))] = struct{}{}
		s.temporal[string(key(r.DB, ""))] = struct{}{}
	}
	return true
}

// oldTemporal reports whether the undecoded TABLE_MAP ev has a column of
// the old TIME, DATETIME or TIMESTAMP types, whose rows may need a
// precision from the definitions (rowcodec.Table.NeedsPrecision); true
// when its column types cannot be read.
func oldTemporal(ev *event.Event) bool {
	if ev.Format == nil || len(ev.Raw) < event.HeaderLen {
		return true
	}
	body := ev.Raw[event.HeaderLen:]
	if ev.Format.ChecksumAlg == event.ChecksumCRC32 {
		if len(body) < event.ChecksumLen {
			return true
		}
		body = body[:len(body)-event.ChecksumLen]
	}
	_, db, table, err := event.PeekTableMap(ev.Format, body)
	if err != nil {
		return true
	}
	// The column count and types follow the table id (4 bytes in the
	// oldest format, else 6), the flags and both names with their
	// lengths and NULs.
	idLen := 6
	if ev.Format.PostHeaderLen(event.TableMapEvent, 8) == 6 {
		idLen = 4
	}
	r := bin.NewReader(body[idLen+2+1+len(db)+1+1+len(table)+1:])
	n, ok := r.PackedInt()
	if !ok || n > 1<<32 || !r.Has(int(n)) {
		return true
	}
	for _, t := range r.Bytes(int(n)) {
		switch event.ColumnType(t) {
		case event.ColumnTypeTime, event.ColumnTypeDatetime, event.ColumnTypeTimestamp:
			return true
		}
	}
	return false
}

// foldCase returns b with every byte ORed with 0x20, in buf's memory:
// ASCII letters in lower case, so that a lower-case word is found in it
// whatever its case in b (other bytes may change; the words searched have
// only letters).
func foldCase(buf, b []byte) []byte {
	buf = slices.Grow(buf[:0], len(b))[:len(b)]
	i := 0
	for ; i+8 <= len(b); i += 8 {
		binary.LittleEndian.PutUint64(buf[i:], binary.LittleEndian.Uint64(b[i:])|0x2020202020202020)
	}
	for ; i < len(b); i++ {
		buf[i] = b[i] | 0x20
	}
	return buf
}

// lowerKey returns b in lower case as strings.ToLower has it: in place
// when b is ASCII.
func lowerKey(b []byte) []byte {
	for i, c := range b {
		if c >= 0x80 {
			return bytes.ToLower(b)
		}
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return b
}

// Close releases the server connection of --schema-dsn.
func (s *Schema) Close() error {
	if s.db != nil {
		return s.db.Close()
	}
	return nil
}

// TrackDDL returns filters (nil: keep all) that also apply to p the DDL
// they keep and the DDL they drop before the first rows event they keep,
// for a flashback, whose reader drops what the filters do: the precisions
// of MariaDB's older temporal formats, which rows events do not carry, may
// come from a CREATE TABLE before the range. DDL dropped once the range
// has begun (after its end, or of tables left out) is not applied: it must
// not change the definitions the rollback SQL is written with. What filters
// judge before decoding (binlog.EarlyFilter) it judges so too, but QUERY
// events, whose statements it reads.
func TrackDDL(p schema.Provider, filters binlog.Filter) binlog.Filter {
	t := &ddlTracker{p: p, filters: filters}
	t.early, _ = filters.(binlog.EarlyFilter)
	return t
}

// ddlTracker is the filter TrackDDL returns.
type ddlTracker struct {
	p       schema.Provider
	filters binlog.Filter      // nil: keep all
	early   binlog.EarlyFilter // filters, when they judge before decoding
	started bool               // a rows event was kept
}

// Keep applies the filters, and p the DDL as TrackDDL says.
func (t *ddlTracker) Keep(ev *event.Event) bool {
	keep := t.filters == nil || t.filters.Keep(ev)
	switch b := ev.Body.(type) {
	case *event.Rows:
		t.started = t.started || keep
	case *event.Query:
		if (keep || !t.started) && b.Statement().Kind == event.StatementDDL {
			// A statement p cannot read is p's to report; rows of a
			// table it then misses stop with an error naming it.
			t.p.ApplyDDL(string(b.Schema), string(b.Query))
		}
	}
	return keep
}

// KeepEarly implements binlog.EarlyFilter.
func (t *ddlTracker) KeepEarly(ev *event.Event, name *binlog.TableName) (keep, decided bool) {
	switch ev.Header.Type {
	case event.QueryEvent, event.MariaQueryCompressedEvent:
		return false, false
	}
	if t.filters == nil {
		return true, true
	}
	if t.early == nil {
		return false, false
	}
	keep, decided = t.early.KeepEarly(ev, name)
	if decided && ev.Header.Type.IsRows() {
		t.started = t.started || keep
	}
	return keep, decided
}
