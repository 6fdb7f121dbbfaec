package mask

import (
	"context"
	"errors"
	"fmt"
	"hash"
	"io"
	"regexp"
	"strings"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// ErrNoColumnNames is returned (wrapped) for a rows event of a table that a
// column rule names by database and table when the column names are not
// known: the binlog lacks them (binlog_row_metadata=MINIMAL) and no
// WithColumnNames function gave them. Masking fails closed rather than
// letting the values through.
var ErrNoColumnNames = errors.New("mask: column names unknown")

// Masker applies a Config's rules to events. It keeps per-table state and
// is not safe for concurrent use; use one Masker per stream.
type Masker struct {
	key      []byte
	colRules []colRule
	valRules []valRule
	names    func(db, table string) []string
	prec     func(t *rowcodec.Table) error
	plans    map[uint64]*plan
	tables   rowcodec.Tables
	strict   bool // column/type rules exist: statement literals are all masked
	toks     []token
	unq      []byte
	mac      hash.Hash // HMAC-SHA256 with key, built on first use
	ident    []byte
}

type colRule struct {
	rule            *Rule
	db, table, col  string // lower-case glob patterns ("" matches any)
	typ             func(c *rowcodec.Column) bool
	hasDB, hasTable bool
}

type valRule struct {
	rule *Rule
	pat  *valuePattern
}

// Option configures a Masker.
type Option func(*Masker)

// WithColumnNames gives column names for tables whose Table_map does not
// carry them (binlog_row_metadata=MINIMAL): f returns the names in column
// order, or nil when it does not know the table. It is called for every
// rows event of a table that a column rule could apply to, so that it may
// follow DDL (a schema.Provider does).
func WithColumnNames(f func(db, table string) []string) Option {
	return func(m *Masker) { m.names = f }
}

// WithPrecision gives the Masker a function that sets the precisions of
// a rows event's table before its rows are decoded
// (rowcodec.Table.SetPrecision): MariaDB logs TIME(n), DATETIME(n) and
// TIMESTAMP(n) of its older formats without n, and their rows do not
// decode without it. schema.PrecisionSetter makes one from a
// schema.Provider. It is called while the table needs a precision
// (rowcodec.Table.NeedsPrecision); an error stops Apply.
func WithPrecision(f func(t *rowcodec.Table) error) Option {
	return func(m *Masker) { m.prec = f }
}

// WithKey sets the HMAC key of hash rules, overriding the configuration's.
func WithKey(key []byte) Option {
	return func(m *Masker) { m.key = append([]byte(nil), key...) }
}

// New returns a Masker for cfg. Hash rules need a key (Config.Key or
// WithKey): without one equal values would hash alike for anyone who can
// guess them.
func New(cfg *Config, opts ...Option) (*Masker, error) {
	if cfg == nil || len(cfg.Rules) == 0 {
		return nil, errors.New("mask: no rules")
	}
	m := &Masker{key: append([]byte(nil), cfg.Key...), plans: make(map[uint64]*plan)}
	for _, o := range opts {
		o(m)
	}
	for i := range cfg.Rules {
		r := cfg.Rules[i] // a copy: the Masker does not see later changes
		if err := r.check(); err != nil {
			return nil, ruleErr(&r, i, err)
		}
		if r.Action == Hash && len(m.key) == 0 {
			return nil, ruleErr(&r, i, errors.New("hash needs a key (key: or key_env: in the rules file)"))
		}
		rp := &r
		switch {
		case r.Column != "":
			parts := strings.Split(strings.ToLower(r.Column), ".")
			cr := colRule{rule: rp, col: parts[len(parts)-1]}
			if len(parts) >= 2 {
				cr.table, cr.hasTable = parts[len(parts)-2], true
			}
			if len(parts) == 3 {
				cr.db, cr.hasDB = parts[0], true
			}
			m.colRules = append(m.colRules, cr)
		case r.Type != "":
			m.colRules = append(m.colRules, colRule{rule: rp, typ: typeMatchers[r.Type]})
		case r.Value != "":
			m.valRules = append(m.valRules, valRule{rule: rp, pat: builtinPatterns[r.Value]})
		case r.Regex != "":
			m.valRules = append(m.valRules, valRule{rule: rp, pat: &valuePattern{re: regexp.MustCompile(r.Regex)}})
		}
	}
	for i := range m.colRules {
		if m.colRules[i].rule.Action != Keep {
			m.strict = true
		}
	}
	return m, nil
}

func ruleErr(r *Rule, i int, err error) error {
	if r.Line > 0 {
		return &ParseError{Line: r.Line, Msg: err.Error()}
	}
	return fmt.Errorf("mask: rule %d: %w", i+1, err)
}

// Apply returns ev with its sensitive values masked. An event that no rule
// changes is returned as it is (no copy). Otherwise Apply returns a new
// event that owns its bytes except Format and Table (which it shares with
// ev): Body holds the masked values and Raw their encoding, with ev's
// header fields (timestamp, server id, log_pos, flags) and positions (File,
// Pos, NextPos) kept, so that output still names the source positions;
// the event size and checksum are those of the new bytes.
//
// Rows events are decoded, masked and re-encoded (see the package doc for
// what each action writes into each column type); QUERY, ANNOTATE_ROWS,
// ROWS_QUERY and USER_VAR events have their literals masked.
func (m *Masker) Apply(ev *event.Event) (*event.Event, error) {
	switch b := ev.Body.(type) {
	case *event.Rows:
		return m.applyRows(ev, b)
	case *event.Query:
		nq := m.maskStatement(b.Query, statementQuery)
		if nq == nil {
			return ev, nil
		}
		q := *b
		q.Query = nq
		q.Compressed = nil
		return rebuild(ev, &q)
	case *event.MariaAnnotateRows:
		nq := m.maskStatement(b.Query, statementAnnotation)
		if nq == nil {
			return ev, nil
		}
		return rebuild(ev, &event.MariaAnnotateRows{Query: nq})
	case *event.RowsQuery:
		nq := m.maskStatement(b.Query, statementAnnotation)
		if nq == nil {
			return ev, nil
		}
		return rebuild(ev, &event.RowsQuery{LengthByte: uint8(len(nq)), Query: nq})
	case *event.UserVar:
		return m.applyUserVar(ev, b)
	case *event.AppendBlock:
		nb := m.maskLoadBlock(b.Block)
		if nb == nil {
			return ev, nil
		}
		a := *b
		a.Block = nb
		return rebuild(ev, &a)
	}
	return ev, nil
}

// maskLoadBlock masks a block of a LOAD DATA file (statement format): value
// rules apply to its text; with column or type rules, whose columns the
// block's fields cannot be tied to, every letter and digit becomes '*'
// (separators, quotes and line ends stay, so the file keeps its shape). It
// returns nil when nothing changed.
func (m *Masker) maskLoadBlock(b []byte) []byte {
	if m.strict {
		out := make([]byte, len(b))
		changed := false
		for i, c := range b {
			if isAlnum(c) || c >= 0x80 {
				c, changed = '*', true
			}
			out[i] = c
		}
		if !changed {
			return nil
		}
		return out
	}
	return m.maskSubstrings(b, true)
}

// rebuild returns a copy of ev with body b, re-encoded.
func rebuild(ev *event.Event, b event.Body) (*event.Event, error) {
	out := *ev
	out.Body = b
	raw, err := event.AppendEvent(nil, &out)
	if err != nil {
		return nil, fmt.Errorf("mask: re-encoding %s at %s:%d: %w", ev.Header.Type, ev.File, ev.Pos, err)
	}
	out.Raw = raw
	out.Header.EventSize = uint32(len(raw))
	return &out, nil
}

// Sink returns a binlog.Sink that masks every event with m before passing
// it to next. The masked event is valid only during next's call, like
// every event a Sink receives.
func (m *Masker) Sink(next binlog.Sink) binlog.Sink {
	return binlog.SinkFunc(func(ctx context.Context, ev *event.Event) error {
		out, err := m.Apply(ev)
		if err != nil {
			return err
		}
		return next.WriteEvent(ctx, out)
	})
}

// plan is the masking of one table: which rule masks each column.
type plan struct {
	gen     uint64   // the Generation of table the plan was built for
	names   []string // names from WithColumnNames, when used
	db, tbl string   // the table's names as logged
	// tableRule: a column rule names this table (column names matter).
	tableRule bool
	table     *rowcodec.Table
	cols      []*Rule // column/type rule per column, nil when none
	scan      []bool  // value rules apply to the column
	touched   bool    // some column may change
	before    []rowcodec.Value
	after     []rowcodec.Value
}

// planFor returns the plan of the table of rows event ev, building it when
// the table's layout changed.
func (m *Masker) planFor(ev *event.Event) (*plan, error) {
	t, err := m.tables.ForRows(ev)
	if err != nil {
		return nil, fmt.Errorf("mask: %w", err)
	}
	if m.prec != nil && t.NeedsPrecision() {
		if err := m.prec(t); err != nil {
			return nil, fmt.Errorf("mask: %s at %s:%d: table definition of %s: %w", ev.Header.Type, ev.File, ev.Pos, t.AppendName(nil), err)
		}
	}
	tm := ev.Table
	p := m.plans[t.ID]
	if p != nil && p.table == t && p.gen == t.Generation() {
		if !p.tableRule || m.names == nil {
			return p, nil
		}
		// Names from outside may change with DDL the Table_map does not
		// show (a renamed column).
		if equalStrings(p.names, m.names(p.db, p.tbl)) {
			return p, nil
		}
	}
	var names []string
	tableRule := m.anyTableRule(tm)
	if m.names != nil && tableRule {
		names = m.names(string(tm.Schema), string(tm.Table))
	}
	p = &plan{gen: t.Generation(), names: names, table: t, tableRule: tableRule, db: string(tm.Schema), tbl: string(tm.Table),
		cols: make([]*Rule, len(t.Columns)), scan: make([]bool, len(t.Columns)),
		before: make([]rowcodec.Value, len(t.Columns)), after: make([]rowcodec.Value, len(t.Columns))}
	db, tbl := strings.ToLower(string(tm.Schema)), strings.ToLower(string(tm.Table))
	for i := range t.Columns {
		c := &t.Columns[i]
		name := strings.ToLower(string(c.Name))
		if name == "" && i < len(names) {
			name = strings.ToLower(names[i])
		}
		for j := range m.colRules {
			cr := &m.colRules[j]
			if cr.typ != nil {
				if cr.typ(c) {
					p.cols[i] = cr.rule
					break
				}
				continue
			}
			if cr.hasDB && !globMatch(cr.db, db) || cr.hasTable && !globMatch(cr.table, tbl) {
				continue
			}
			if name == "" && cr.col != "*" {
				return nil, fmt.Errorf("mask: %s at %s:%d: %w for %s.%s (rule %q on line %d); log them with binlog_row_metadata=FULL or give a schema",
					ev.Header.Type, ev.File, ev.Pos, ErrNoColumnNames, tm.Schema, tm.Table, cr.rule.Column, cr.rule.Line)
			}
			if globMatch(cr.col, name) {
				p.cols[i] = cr.rule
				break
			}
		}
		if p.cols[i] != nil && p.cols[i].Action == Keep {
			p.cols[i] = nil
			continue // kept as it is: no value rules either
		}
		if p.cols[i] == nil && len(m.valRules) > 0 {
			switch c.Type {
			case event.ColumnTypeEnum, event.ColumnTypeSet, event.ColumnTypeBit, event.ColumnTypeGeometry, event.ColumnTypeVector,
				event.ColumnTypeDate, event.ColumnTypeNewDate, event.ColumnTypeTime, event.ColumnTypeTime2,
				event.ColumnTypeDatetime, event.ColumnTypeDatetime2, event.ColumnTypeTimestamp, event.ColumnTypeTimestamp2,
				event.ColumnTypeYear, event.ColumnTypeFloat, event.ColumnTypeDouble:
			default:
				p.scan[i] = true
			}
		}
		if p.cols[i] != nil || p.scan[i] {
			p.touched = true
		}
	}
	m.plans[t.ID] = p
	return p, nil
}

// anyTableRule reports whether a column rule names tm's table (so column
// names matter).
func (m *Masker) anyTableRule(tm *event.TableMap) bool {
	db, tbl := strings.ToLower(string(tm.Schema)), strings.ToLower(string(tm.Table))
	for i := range m.colRules {
		cr := &m.colRules[i]
		if cr.typ != nil {
			continue
		}
		if cr.hasDB && !globMatch(cr.db, db) || cr.hasTable && !globMatch(cr.table, tbl) {
			continue
		}
		return true
	}
	return false
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// globMatch matches s against a pattern where '*' is any run of
// characters (both already lower-case).
func globMatch(p, s string) bool {
	// Iterative matcher with backtracking to the last star.
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case pi < len(p) && p[pi] == s[si]:
			pi++
			si++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// globMatchFold is globMatch for a name in any case (ASCII letters fold;
// the pattern is lower-case).
func globMatchFold(p string, s []byte) bool {
	lower := func(c byte) byte {
		if c >= 'A' && c <= 'Z' {
			return c + 'a' - 'A'
		}
		return c
	}
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case pi < len(p) && p[pi] == lower(s[si]):
			pi++
			si++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// applyRows masks the row images of a rows event.
func (m *Masker) applyRows(ev *event.Event, r *event.Rows) (*event.Event, error) {
	if ev.Table == nil {
		return nil, fmt.Errorf("mask: %s at %s:%d: no Table_map for table id %d, cannot mask its rows", ev.Header.Type, ev.File, ev.Pos, r.TableID)
	}
	p, err := m.planFor(ev)
	if err != nil {
		return nil, err
	}
	if !p.touched {
		return ev, nil
	}
	if r.IsCompressed() && r.Data == nil {
		if err := r.Decompress(); err != nil {
			return nil, fmt.Errorf("mask: %s at %s:%d: %w", ev.Header.Type, ev.File, ev.Pos, err)
		}
	}
	kind := r.Kind()
	var before, after []rowcodec.Value
	if kind != event.RowsWrite {
		before = p.before
	}
	if kind != event.RowsDelete {
		after = p.after
	}
	var data []byte
	changed := false
	var one [1]rowcodec.Row
	for off := 0; ; {
		next, err := p.table.NextRow(r, off, before, after)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("mask: %s at %s:%d: %w", ev.Header.Type, ev.File, ev.Pos, err)
		}
		off = next
		if after != nil {
			c, err := m.maskImage(p, after)
			if err != nil {
				return nil, fmt.Errorf("mask: %s at %s:%d: %w", ev.Header.Type, ev.File, ev.Pos, err)
			}
			changed = changed || c
		}
		if before != nil {
			c, err := m.maskImage(p, before)
			if err != nil {
				return nil, fmt.Errorf("mask: %s at %s:%d: %w", ev.Header.Type, ev.File, ev.Pos, err)
			}
			changed = changed || c
		}
		one[0] = rowcodec.Row{Before: before, After: after}
		if data, err = p.table.AppendRowsData(data, r, one[:]); err != nil {
			return nil, fmt.Errorf("mask: %s at %s:%d: re-encoding: %w", ev.Header.Type, ev.File, ev.Pos, err)
		}
	}
	if !changed {
		return ev, nil
	}
	nr := *r
	nr.Data = data
	nr.Compressed = nil
	return rebuild(ev, &nr)
}

// maskImage masks the values of one row image in place (the new values own
// their bytes).
func (m *Masker) maskImage(p *plan, vals []rowcodec.Value) (bool, error) {
	changed := false
	for i := range vals {
		v := vals[i]
		if v.IsNull() || v.IsAbsent() {
			continue
		}
		r := p.cols[i]
		if r == nil && !p.scan[i] {
			continue
		}
		c := &p.table.Columns[i]
		if v.Kind() == rowcodec.KindJSONDiff {
			nv, ok, err := m.maskJSONDiff(r, v)
			if err != nil {
				return false, fmt.Errorf("column %d (%s): %w", i, c.Name, err)
			}
			if ok {
				vals[i] = nv
				changed = true
			}
			continue
		}
		var nv rowcodec.Value
		var ok bool
		var err error
		if r != nil {
			nv, err = m.maskColumnValue(r, c, v)
			ok = true
		} else {
			nv, ok, err = m.scanValue(c, v)
		}
		if err != nil {
			return false, fmt.Errorf("column %d (%s): %w", i, c.Name, err)
		}
		if ok {
			vals[i] = nv
			changed = true
		}
	}
	return changed, nil
}
