package schema

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pingcap/tidb/pkg/parser"
)

// Catalog is an in-memory schema: databases holding tables, built and kept
// current by applying DDL statements in the order they were executed. It is
// the Provider for a schema file (LoadFile, Parse) and for a stream that
// creates its own tables (NewCatalog, then ApplyDDL on each QUERY event);
// Server keeps one too.
//
// Names are kept as written but looked up case-insensitively (as a server
// with lower_case_table_names=1 or 2 does): two tables whose names differ
// only in case are one table to a Catalog.
//
// Versioning is by position: every statement that changes a table makes a
// new *Table and leaves the *Table values handed out before untouched, so
// a caller that applies the DDL of a binlog in stream order (calling
// ApplyDDL on each QUERY event when it reaches it) always gets from Table
// the version in force at the current position, and rows logged before an
// ALTER keep the definition they were logged with.
//
// The zero Catalog is empty and ready to use. A Catalog is not safe for
// concurrent use; Clone makes an independent copy cheaply (tables are
// shared until changed).
type Catalog struct {
	dbs map[string]*catDB
	p   *parser.Parser
	// parsed holds the statements of recent DDL texts (parsedBytes of
	// text): a binlog often repeats one (a tool that recreates its tables),
	// and parsing is most of what ApplyDDL costs. The statements are only
	// read once parsed.
	parsed      map[string][]parsedStmt
	parsedBytes int
	columns     map[columnKey]columnMemo // see Catalog.column
	gen         uint64                   // see Generation
}

// Bounds of Catalog.parsed: the syntax trees are several times the size of
// their text.
const (
	maxParsed      = 256
	maxParsedBytes = 1 << 20
)

type catDB struct {
	name    string
	charset string // default character set ("" unknown)
	tables  map[string]*catTable
}

// catTable is one table's definition: its columns and keys by name, so
// that keys follow columns that move, and the *Table made from it.
type catTable struct {
	db, name string
	charset  string // table default character set
	cols     []catCol
	pk       []string
	uniques  []catKey
	unknown  bool // columns unknown (CREATE … SELECT, LIKE of an unknown table)
	// versioned: a MariaDB system-versioned table with implicit row_start
	// and row_end columns, which the server keeps after all others (they
	// are in row events but not in information_schema).
	versioned bool
	t         *Table // materialized, immutable
}

type catCol struct {
	Column
	notNull   bool
	rowPeriod bool // GENERATED ALWAYS AS ROW START/END
}

type catKey struct {
	name string
	cols []string
}

// NewCatalog returns an empty Catalog.
func NewCatalog() *Catalog {
	return &Catalog{dbs: make(map[string]*catDB)}
}

// Clone returns a copy of c that changes independently of it. Table
// definitions are immutable and shared, so Clone costs a map copy per
// database.
func (c *Catalog) Clone() *Catalog {
	n := NewCatalog()
	for k, d := range c.dbs {
		nd := &catDB{name: d.name, charset: d.charset, tables: make(map[string]*catTable, len(d.tables))}
		for tk, t := range d.tables {
			nd.tables[tk] = t // never modified in place: every change copies
		}
		n.dbs[k] = nd
	}
	n.gen = c.gen
	return n
}

// Generation counts the changes made to c (statements applied, tables
// set). While it stays the same, Table returns what it returned before.
func (c *Catalog) Generation() uint64 { return c.gen }

// Table returns the definition of db.name in force after the statements
// applied so far, or (nil, nil) when the Catalog does not know the table or
// knows it without its columns (created by CREATE TABLE … SELECT, or LIKE a
// table it does not know). The *Table is shared and must not be modified;
// later DDL does not change it.
func (c *Catalog) Table(db, name string) (*Table, error) {
	t := c.lookup(db, name)
	if t == nil || t.unknown {
		return nil, nil
	}
	return t.t, nil
}

// Tables returns the names of the tables the Catalog knows in db, in no
// particular order.
func (c *Catalog) Tables(db string) []string {
	d := c.dbs[strings.ToLower(db)]
	if d == nil {
		return nil
	}
	names := make([]string, 0, len(d.tables))
	for _, t := range d.tables {
		names = append(names, t.name)
	}
	return names
}

// Databases returns the names of the databases the Catalog knows.
func (c *Catalog) Databases() []string {
	names := make([]string, 0, len(c.dbs))
	for _, d := range c.dbs {
		names = append(names, d.name)
	}
	return names
}

// SetTable puts a table definition into the Catalog under t.Database and
// t.Name (replacing any table of that name), for a provider that reads
// definitions elsewhere and then follows the DDL of the stream with
// ApplyDDL, as Server does. Every column of t's primary and unique keys is
// taken to be NOT NULL; a key with a column index out of range is left out.
// The Catalog keeps its own copy of t.
func (c *Catalog) SetTable(t *Table) {
	c.setTable(t, nil, nil)
}

// setTable is SetTable with the unique keys' names (for a later DROP
// INDEX) and the columns' NOT NULL-ness (for a later ADD UNIQUE), when
// known.
func (c *Catalog) setTable(t *Table, uniqueNames []string, notNull []bool) {
	c.gen++
	ct := &catTable{db: t.Database, name: t.Name}
	for i, col := range t.Columns {
		ct.cols = append(ct.cols, catCol{Column: col, notNull: i < len(notNull) && notNull[i]})
	}
	// A key with an index out of range is left out whole: a part of a key
	// need not identify a row.
	names := func(key []int) []string {
		var out []string
		for _, i := range key {
			if i < 0 || i >= len(ct.cols) {
				return nil
			}
			out = append(out, ct.cols[i].Name)
			ct.cols[i].notNull = true
		}
		return out
	}
	ct.pk = names(t.PrimaryKey)
	for n, k := range t.UniqueKeys {
		key := catKey{name: fmt.Sprintf("\x00unique%d", n), cols: names(k)}
		if n < len(uniqueNames) {
			key.name = uniqueNames[n]
		}
		if len(key.cols) > 0 {
			ct.uniques = append(ct.uniques, key)
		}
	}
	c.put(t.Database, ct)
}

func (c *Catalog) lookup(db, name string) *catTable {
	d := c.dbs[strings.ToLower(db)]
	if d == nil {
		return nil
	}
	return d.tables[strings.ToLower(name)]
}

func (c *Catalog) db(name string) *catDB {
	k := strings.ToLower(name)
	d := c.dbs[k]
	if d == nil {
		if c.dbs == nil {
			c.dbs = make(map[string]*catDB)
		}
		d = &catDB{name: name, tables: make(map[string]*catTable)}
		c.dbs[k] = d
	}
	return d
}

// put stores t under db, materializing its *Table unless t is stored
// already as a table of db (a CREATE TABLE remembered by its text). The
// catalog never changes a stored table in place: DDL changes a copy and
// stores that, so one catTable may be stored again and again.
func (c *Catalog) put(db string, t *catTable) {
	if t.t == nil || t.db != db {
		t.db = db
		t.materialize()
	}
	c.db(db).tables[strings.ToLower(t.name)] = t
}

func (c *Catalog) remove(db, name string) *catTable {
	d := c.dbs[strings.ToLower(db)]
	if d == nil {
		return nil
	}
	k := strings.ToLower(name)
	t := d.tables[k]
	delete(d.tables, k)
	return t
}

// copy returns a deep copy of t that may be changed.
func (t *catTable) copy() *catTable {
	n := *t
	n.cols = slices.Clone(t.cols)
	n.pk = slices.Clone(t.pk)
	n.uniques = make([]catKey, len(t.uniques))
	for i, k := range t.uniques {
		n.uniques[i] = catKey{name: k.name, cols: slices.Clone(k.cols)}
	}
	n.t = nil
	return &n
}

func (t *catTable) colIndex(name string) int {
	for i, c := range t.cols {
		if strings.EqualFold(c.Name, name) {
			return i
		}
	}
	return -1
}

// materialize builds t.t from the definition.
func (t *catTable) materialize() {
	tab := &Table{Database: t.db, Name: t.name, Columns: make([]Column, len(t.cols), len(t.cols)+2)}
	for i, c := range t.cols {
		tab.Columns[i] = c.Column
	}
	if t.versioned {
		for _, n := range []string{"row_start", "row_end"} {
			tab.Columns = append(tab.Columns, Column{Name: n, Type: "timestamp(6)", Generated: true, Invisible: true, Precision: 6})
		}
	}
	idx := func(names []string, needNotNull bool) []int {
		out := make([]int, 0, len(names))
		for _, n := range names {
			i := t.colIndex(n)
			if i < 0 || needNotNull && !t.cols[i].notNull {
				return nil
			}
			out = append(out, i)
		}
		return out
	}
	if len(t.pk) > 0 {
		tab.PrimaryKey = idx(t.pk, false)
	}
	for _, k := range t.uniques {
		if ix := idx(k.cols, true); len(ix) > 0 {
			tab.UniqueKeys = append(tab.UniqueKeys, ix)
		}
	}
	t.t = tab
}

func (t *catTable) keysFromOptions(name string, pk, unique bool) {
	if pk {
		t.pk = []string{name}
	}
	if unique {
		t.uniques = append(t.uniques, catKey{name: name, cols: []string{name}})
	}
}

func (t *catTable) hasKey(name string) bool {
	for _, k := range t.uniques {
		if strings.EqualFold(k.name, name) {
			return true
		}
	}
	return false
}

func (t *catTable) dropIndex(name string) {
	if strings.EqualFold(name, "PRIMARY") {
		t.pk = nil
		return
	}
	t.uniques = slices.DeleteFunc(t.uniques, func(k catKey) bool { return strings.EqualFold(k.name, name) })
}

// renameInKeys renames a column in the key definitions.
func (t *catTable) renameInKeys(old, new string) {
	for i, n := range t.pk {
		if strings.EqualFold(n, old) {
			t.pk[i] = new
		}
	}
	for _, k := range t.uniques {
		for i, n := range k.cols {
			if strings.EqualFold(n, old) {
				k.cols[i] = new
			}
		}
	}
}

// dropFromKeys removes a dropped column from the keys, as the server does
// (a key left without columns goes).
func (t *catTable) dropFromKeys(name string) {
	del := func(s []string) []string {
		return slices.DeleteFunc(s, func(n string) bool { return strings.EqualFold(n, name) })
	}
	t.pk = del(t.pk)
	if len(t.pk) == 0 {
		t.pk = nil
	}
	for i := range t.uniques {
		t.uniques[i].cols = del(t.uniques[i].cols)
	}
	t.uniques = slices.DeleteFunc(t.uniques, func(k catKey) bool { return len(k.cols) == 0 })
}
