package schema

import "github.com/binlogkit/binlogkit/rowcodec"

// Metadata is a Provider built from what the Table_maps of the stream say
// when the server logs optional metadata (binlog_row_metadata=FULL, MySQL
// 8.0.1+ and MariaDB 10.5+): column names, primary key, visibility,
// signedness and character sets. It learns a table when it is shown the
// table's decoded Table_map (Observe), so it always describes the
// Table_map in force: DDL needs no tracking and ApplyDDL does nothing. A
// table whose Table_map did not log column names is unknown (Table
// returns nil). Names are matched exactly, as the Table_map spells them.
//
// The metadata does not flag generated columns (a server rejects values
// for them) nor give unique keys or declared types: pair Metadata with a
// schema file or a live server for tables where those matter.
//
// A Metadata is not safe for concurrent use; Clone gives each goroutine
// its own.
type Metadata struct {
	tables map[string]*metaEntry
	key    []byte
	// gen counts the definitions stored: while it stays the same, Table
	// returns what it returned before.
	gen uint64
}

// metaEntry is one table's definition and the rowcodec.Table (with its
// Generation) it was last found to describe: a Table_map repeated for
// the same Table then needs no comparison.
type metaEntry struct {
	def    *Table
	from   *rowcodec.Table
	builds uint64
}

// NewMetadata returns an empty Metadata.
func NewMetadata() *Metadata {
	return &Metadata{tables: make(map[string]*metaEntry)}
}

// Observe records t's definition when its Table_map logged every column's
// name (else it does nothing). It allocates only when a table is new or its
// shape changed; a definition stored before is replaced, never changed.
func (m *Metadata) Observe(t *rowcodec.Table) {
	if len(t.Columns) == 0 {
		return
	}
	for i := range t.Columns {
		if t.Columns[i].Name == nil {
			return
		}
	}
	m.key = append(append(append(m.key[:0], t.Schema...), 0), t.Name...)
	e := m.tables[string(m.key)]
	if e != nil && e.from == t && e.builds == t.Generation() {
		return // t has not changed since it was last observed
	}
	if e != nil && sameShape(e.def, t) {
		e.from, e.builds = t, t.Generation()
		return
	}
	nt := &Table{Database: string(t.Schema), Name: string(t.Name), Columns: make([]Column, len(t.Columns))}
	for i := range t.Columns {
		c := &t.Columns[i]
		nt.Columns[i] = Column{
			Name:      string(c.Name),
			Invisible: !c.Visible,
			Unsigned:  c.Unsigned,
			Precision: rowcodec.PrecisionUnknown,
		}
		if c.Collation != 0 {
			nt.Columns[i].Charset = rowcodec.CharsetName(c.Collation)
		}
	}
	if len(t.PrimaryKey) > 0 {
		nt.PrimaryKey = append([]int(nil), t.PrimaryKey...)
	}
	m.tables[string(m.key)] = &metaEntry{def: nt, from: t, builds: t.Generation()}
	m.gen++
}

// sameShape reports whether old describes t (names, key, visibility).
func sameShape(old *Table, t *rowcodec.Table) bool {
	if len(old.Columns) != len(t.Columns) || len(old.PrimaryKey) != len(t.PrimaryKey) {
		return false
	}
	for i, k := range t.PrimaryKey {
		if old.PrimaryKey[i] != k {
			return false
		}
	}
	for i := range t.Columns {
		c := &t.Columns[i]
		if old.Columns[i].Name != string(c.Name) || old.Columns[i].Invisible != !c.Visible || old.Columns[i].Unsigned != c.Unsigned {
			return false
		}
	}
	return true
}

// Table returns the definition last observed for db.name, or (nil, nil).
func (m *Metadata) Table(db, name string) (*Table, error) {
	if e := m.tables[db+"\x00"+name]; e != nil {
		return e.def, nil
	}
	return nil, nil
}

// Lookup is Table for names held as bytes (a rowcodec.Table's Schema and
// Name): it returns the definition last observed for db.name, or nil,
// without allocating.
func (m *Metadata) Lookup(db, name []byte) *Table {
	m.key = append(append(append(m.key[:0], db...), 0), name...)
	if e := m.tables[string(m.key)]; e != nil {
		return e.def
	}
	return nil
}

// ApplyDDL does nothing and returns nil: the Table_map in force at each
// rows event is already the truth.
func (m *Metadata) ApplyDDL(defaultDB, sql string) error { return nil }

// Generation counts the definitions Observe stored (a new table, or a
// table whose shape changed). While it stays the same, Table and Lookup
// return what they returned before, so a caller may keep what it derived
// from them.
func (m *Metadata) Generation() uint64 { return m.gen }

// Clone returns a copy of s that learns independently of it (for a
// goroutine of its own): it knows the same definitions, at the same
// Generation.
func (m *Metadata) Clone() *Metadata {
	c := NewMetadata()
	for k, e := range m.tables {
		ce := *e
		ce.from, ce.builds = nil, 0 // compared again when next observed
		c.tables[k] = &ce
	}
	c.gen = m.gen
	return c
}
