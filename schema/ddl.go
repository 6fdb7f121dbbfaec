package schema

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/charset"
	"github.com/pingcap/tidb/pkg/parser/mysql"
	_ "github.com/pingcap/tidb/pkg/parser/test_driver" // value expressions (DEFAULT, COMMENT) for the parser
)

// The TiDB parser rejects the character sets TiDB does not implement
// (ucs2, utf16, utf32, cp1250, …), which MySQL and MariaDB tables use; it
// has their descriptions but does not accept them. Registering them once,
// at init, before any parse can run, makes CHARACTER SET utf16 parse. This
// changes what the TiDB parser accepts for the whole program.
func init() {
	for _, name := range []string{
		"armscii8", "big5", "cp1250", "cp1251", "cp1256", "cp1257", "cp850", "cp852",
		"cp866", "cp932", "dec8", "eucjpms", "euckr", "gb2312", "geostd8", "greek",
		"hebrew", "hp8", "keybcs2", "koi8r", "koi8u", "latin2", "latin5", "latin7",
		"macce", "macroman", "sjis", "swe7", "tis620", "ucs2", "ujis", "utf16",
		"utf16le", "utf32",
	} {
		if cs, err := charset.GetCharsetInfo(name); err != nil && cs != nil {
			charset.AddCharset(cs)
		}
	}
}

// ErrDDL is the sentinel that ApplyDDL's parse errors wrap.
var ErrDDL = errors.New("sqlgen: DDL statement not understood")

// Catalog is an in-memory schema: databases holding tables, built and kept
// current by applying DDL statements in the order they were executed.
//
// Names are kept as written but looked up case-insensitively (as a server
// with lower_case_table_names=1 or 2 does): two tables whose names differ
// only in case are one table to a Catalog.
//
// Versioning is by position: every statement that changes a table makes a
// new *Table and leaves the *Table values handed out before untouched, so
// a caller that applies the DDL of a binlog in stream order (as the SQL
// generator does, calling ApplyDDL on each QUERY event when it reaches it)
// always gets from Table the version in force at the current position, and
// rows logged before an ALTER keep the definition they were logged with.
//
// The zero Catalog is empty and ready to use. A Catalog is not safe for
// concurrent use; Clone makes an independent copy cheaply (tables are
// shared until changed).
type Catalog struct {
	dbs map[string]*catDB
	p   *parser.Parser
}

type catDB struct {
	name    string
	charset string // default character set ("" unknown)
	tables  map[string]*catTable
}

// catTable is one table's definition: its columns and keys by name, so
// that keys follow columns that move, and the *Table made from it.
type catTable struct {
	schema, name string
	charset      string // table default character set
	cols         []catCol
	pk           []string
	uniques      []catKey
	unknown      bool // columns unknown (CREATE … SELECT, LIKE of an unknown table)
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
	return n
}

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

// SetTable puts a table definition into the Catalog (replacing any table of
// the same name), as a schema source that reads definitions elsewhere (a
// live server) does before applying DDL to it. NOT NULL-ness of key columns
// is taken from t: every column of t's primary and unique keys is treated
// as NOT NULL.
func (c *Catalog) SetTable(t *Table) {
	c.setTable(t, nil, nil)
}

// setTable is SetTable with the unique keys' names (for a later DROP
// INDEX) and the columns' NOT NULL-ness (for a later ADD UNIQUE), when
// known.
func (c *Catalog) setTable(t *Table, uniqueNames []string, notNull []bool) {
	ct := &catTable{schema: t.Schema, name: t.Name}
	for i, col := range t.Columns {
		ct.cols = append(ct.cols, catCol{Column: col, notNull: i < len(notNull) && notNull[i]})
	}
	for _, i := range t.PrimaryKey {
		if i >= 0 && i < len(ct.cols) {
			ct.pk = append(ct.pk, ct.cols[i].Name)
			ct.cols[i].notNull = true
		}
	}
	for n, k := range t.UniqueKeys {
		key := catKey{name: fmt.Sprintf("\x00unique%d", n)}
		if n < len(uniqueNames) {
			key.name = uniqueNames[n]
		}
		for _, i := range k {
			if i >= 0 && i < len(ct.cols) {
				key.cols = append(key.cols, ct.cols[i].Name)
				ct.cols[i].notNull = true
			}
		}
		ct.uniques = append(ct.uniques, key)
	}
	c.put(t.Schema, ct)
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

// put stores t (materializing its *Table) under db.
func (c *Catalog) put(db string, t *catTable) {
	t.schema = db
	t.materialize()
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
	tab := &Table{Schema: t.schema, Name: t.name, Columns: make([]Column, len(t.cols), len(t.cols)+2)}
	for i, c := range t.cols {
		tab.Columns[i] = c.Column
	}
	if t.versioned {
		for _, n := range []string{"row_start", "row_end"} {
			tab.Columns = append(tab.Columns, Column{Name: n, Type: "timestamp(6)", Generated: true, Invisible: true})
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

// ddlStmtStart returns the beginning of a statement for error messages.
func ddlStmtStart(sql string) string {
	s := strings.Join(strings.Fields(sql), " ")
	if len(s) > 60 {
		// Cut on a rune boundary when the text is UTF-8.
		n := 60
		for n > 0 && s[n]&0xC0 == 0x80 {
			n--
		}
		s = s[:n] + "…"
	}
	return s
}

// ApplyDDL applies one statement that was executed with defaultDB as the
// current database (a QUERY event holds one; several separated by
// semicolons are applied in turn when the first is DDL). Statements that
// cannot change a table's columns, keys or name (DML, SET, BEGIN, XA, views,
// routines, triggers, TRUNCATE, ALTER DATABASE) are recognised by their
// leading keywords and ignored without a parse. CREATE/DROP DATABASE,
// CREATE TABLE (also … LIKE, … SELECT, OR REPLACE), CREATE/DROP SEQUENCE,
// ALTER TABLE, RENAME TABLE, DROP TABLE, CREATE/DROP INDEX are parsed with
// the TiDB parser after a rewrite of the MariaDB syntax it does not know
// (INVISIBLE, spatial and INET/UUID types, system versioning, ALTER
// ONLINE, WAIT/NOWAIT, CREATE OR REPLACE, version comments, …); collations
// and table options it does not know are dropped on a second attempt. One
// that still does not parse is an error wrapping ErrDDL that quotes the
// statement's start. Temporary tables are ignored (they are not logged as
// rows).
//
// Importing this package registers with the TiDB parser the character
// sets MySQL and MariaDB have and TiDB lacks (ucs2, utf16, utf32, cp1250,
// …), for the whole program.
//
// Statements about tables the Catalog does not know (an ALTER of a table
// created before the schema snapshot) are ignored.
func (c *Catalog) ApplyDDL(defaultDB, sql string) error {
	switch ddlClassify(sql) {
	case ddlClassIgnore, ddlClassTruncate:
		return nil
	}
	stmts, err := c.parse(sql)
	if err != nil {
		return fmt.Errorf("%w: %q: %v", ErrDDL, ddlStmtStart(sql), err)
	}
	for _, s := range stmts {
		c.apply(defaultDB, s.node, s.info)
	}
	return nil
}

type parsedStmt struct {
	node ast.StmtNode
	info rewriteInfo
}

// parseText runs the TiDB parser. The parser is generated code outside
// this project; a panic in it is turned into an error so that a hostile
// statement in a binlog cannot crash the caller (the parser is replaced, as
// its state is then unknown).
func (c *Catalog) parseText(text string) (nodes []ast.StmtNode, err error) {
	if c.p == nil {
		c.p = parser.New()
	}
	defer func() {
		if r := recover(); r != nil {
			c.p = nil
			nodes, err = nil, fmt.Errorf("parser panic: %v", r)
		}
	}()
	nodes, _, err = c.p.Parse(text, "", "")
	return nodes, err
}

func (c *Catalog) parse(sql string) ([]parsedStmt, error) {
	text, info := ddlRewrite(sql)
	nodes, err := c.parseText(text)
	if err != nil {
		// Second attempts: collations the parser does not know, then
		// table options it does not know.
		alt := ddlStripCollations(text)
		nodes2, err2 := c.parseText(alt)
		if err2 != nil {
			if cut, ok := ddlCutTableOptions(alt); ok && ddlClassify(alt) == ddlClassDDL && strings.EqualFold(ddlFirstWords(alt, 1)[0], "CREATE") {
				nodes2, err2 = c.parseText(cut)
			}
		}
		if err2 != nil {
			if q, ok := ddlQuoteTableName(alt); ok {
				nodes2, err2 = c.parseText(q)
			}
		}
		if err2 != nil {
			return nil, err
		}
		nodes = nodes2
	}
	out := make([]parsedStmt, len(nodes))
	for i, n := range nodes {
		out[i] = parsedStmt{n, info}
	}
	return out, nil
}

func ddlDBOf(n *ast.TableName, defaultDB string) string {
	if n.Schema.O != "" {
		return n.Schema.O
	}
	return defaultDB
}

func (c *Catalog) apply(defaultDB string, node ast.StmtNode, info rewriteInfo) {
	switch s := node.(type) {
	case *ast.CreateDatabaseStmt:
		d := c.db(s.Name.O)
		for _, o := range s.Options {
			if o.Tp == ast.DatabaseOptionCharset {
				d.charset = ddlCharsetName(o.Value)
			}
		}
	case *ast.DropDatabaseStmt:
		delete(c.dbs, strings.ToLower(s.Name.O))
	case *ast.CreateTableStmt:
		c.createTable(defaultDB, s, info)
	case *ast.CreateSequenceStmt:
		db := ddlDBOf(s.Name, defaultDB)
		if s.IfNotExists && c.lookup(db, s.Name.Name.O) != nil {
			return
		}
		c.put(db, ddlSequenceTable(s.Name.Name.O))
	case *ast.DropSequenceStmt:
		for _, n := range s.Sequences {
			c.remove(ddlDBOf(n, defaultDB), n.Name.O)
		}
	case *ast.DropTableStmt:
		if s.TemporaryKeyword != ast.TemporaryNone || s.IsView {
			return
		}
		for _, n := range s.Tables {
			c.remove(ddlDBOf(n, defaultDB), n.Name.O)
		}
	case *ast.RenameTableStmt:
		for _, tt := range s.TableToTables {
			t := c.remove(ddlDBOf(tt.OldTable, defaultDB), tt.OldTable.Name.O)
			if t == nil {
				continue
			}
			t = t.copy()
			t.name = tt.NewTable.Name.O
			c.put(ddlDBOf(tt.NewTable, defaultDB), t)
		}
	case *ast.AlterTableStmt:
		c.alterTable(defaultDB, s, info)
	case *ast.CreateIndexStmt:
		db := ddlDBOf(s.Table, defaultDB)
		old := c.lookup(db, s.Table.Name.O)
		if old == nil || s.KeyType != ast.IndexKeyTypeUnique {
			return
		}
		t := old.copy()
		t.addKey(&ast.Constraint{Tp: ast.ConstraintUniq, Name: s.IndexName, Keys: s.IndexPartSpecifications})
		c.put(db, t)
	case *ast.DropIndexStmt:
		db := ddlDBOf(s.Table, defaultDB)
		old := c.lookup(db, s.Table.Name.O)
		if old == nil {
			return
		}
		t := old.copy()
		t.dropIndex(s.IndexName)
		c.put(db, t)
	}
}

// ddlSequenceTable is the table behind a MariaDB SEQUENCE, whose changes
// (NEXTVAL, SETVAL) are logged as rows.
func ddlSequenceTable(name string) *catTable {
	t := &catTable{name: name}
	for _, c := range []struct{ n, typ string }{
		{"next_not_cached_value", "bigint(21)"}, {"minimum_value", "bigint(21)"},
		{"maximum_value", "bigint(21)"}, {"start_value", "bigint(21)"},
		{"increment", "bigint(21)"}, {"cache_size", "bigint(21) unsigned"},
		{"cycle_option", "tinyint(1) unsigned"}, {"cycle_count", "bigint(21)"},
	} {
		t.cols = append(t.cols, catCol{Column: Column{Name: c.n, Type: c.typ, Unsigned: strings.HasSuffix(c.typ, "unsigned")}, notNull: true})
	}
	return t
}

func (c *Catalog) createTable(defaultDB string, s *ast.CreateTableStmt, info rewriteInfo) {
	if s.TemporaryKeyword != ast.TemporaryNone {
		return
	}
	db := ddlDBOf(s.Table, defaultDB)
	name := s.Table.Name.O
	if s.IfNotExists && !info.orReplace && c.lookup(db, name) != nil {
		return
	}
	if s.ReferTable != nil {
		src := c.lookup(ddlDBOf(s.ReferTable, defaultDB), s.ReferTable.Name.O)
		var t *catTable
		if src == nil {
			t = &catTable{unknown: true}
		} else {
			t = src.copy()
		}
		t.name = name
		c.put(db, t)
		return
	}
	t := &catTable{name: name}
	if d := c.dbs[strings.ToLower(db)]; d != nil {
		t.charset = d.charset
	}
	for _, o := range s.Options {
		if o.Tp == ast.TableOptionCharset {
			t.charset = ddlCharsetName(o.StrValue)
		}
	}
	for _, cd := range s.Cols {
		t.addColumn(cd, nil)
	}
	for _, k := range s.Constraints {
		t.addKey(k)
	}
	t.versioned = info.versioned
	// CREATE TABLE … SELECT adds the select's columns, which only a server
	// knows.
	if s.Select != nil {
		t.unknown = true
	}
	c.put(db, t)
}

// ddlCharsetName names a character set as the server's information_schema
// does.
func ddlCharsetName(cs string) string {
	cs = strings.ToLower(cs)
	switch cs {
	case "utf8":
		return "utf8mb3"
	case "binary":
		return ""
	}
	return cs
}

// column turns a column definition into a catCol and the keys its options
// declare.
func (t *catTable) column(cd *ast.ColumnDef) (col catCol, pk, unique bool) {
	col.Name = cd.Name.Name.O
	tp := cd.Tp
	col.Type = tp.InfoSchemaStr()
	col.Unsigned = mysql.HasUnsignedFlag(tp.GetFlag())
	switch tp.GetType() {
	case mysql.TypeVarchar, mysql.TypeString, mysql.TypeVarString, mysql.TypeBlob, mysql.TypeTinyBlob,
		mysql.TypeMediumBlob, mysql.TypeLongBlob, mysql.TypeEnum, mysql.TypeSet:
		if cs := tp.GetCharset(); cs != "" {
			col.Charset = ddlCharsetName(cs)
		} else if !mysql.HasBinaryFlag(tp.GetFlag()) && !ddlIsBlobType(col.Type) {
			col.Charset = t.charset
		}
	}
	for _, o := range cd.Options {
		switch o.Tp {
		case ast.ColumnOptionPrimaryKey:
			pk = true
			col.notNull = true
		case ast.ColumnOptionNotNull:
			col.notNull = true
		case ast.ColumnOptionNull:
			col.notNull = false
		case ast.ColumnOptionUniqKey:
			unique = true
		case ast.ColumnOptionGenerated:
			col.Generated = true
		case ast.ColumnOptionComment:
			if v, ok := o.Expr.(ast.ValueExpr); ok {
				s := v.GetString()
				switch {
				case s == ddlMarkInvisible:
					col.Invisible = true
				case s == ddlMarkGenerated:
					col.Generated = true
					col.rowPeriod = true
				case strings.HasPrefix(s, ddlMarkType):
					col.Type = s[len(ddlMarkType):]
					col.Charset = ""
				}
			}
		}
	}
	return col, pk, unique
}

func ddlIsBlobType(typ string) bool {
	return strings.HasSuffix(typ, "blob") || typ == "json" || strings.HasPrefix(typ, "vector")
}

// addColumn inserts a column at pos (nil: at the end).
func (t *catTable) addColumn(cd *ast.ColumnDef, pos *ast.ColumnPosition) {
	col, pk, unique := t.column(cd)
	if i := t.colIndex(col.Name); i >= 0 { // ADD COLUMN IF NOT EXISTS of an existing one
		return
	}
	t.insert(col, pos)
	t.keysFromOptions(col.Name, pk, unique)
}

func (t *catTable) keysFromOptions(name string, pk, unique bool) {
	if pk {
		t.pk = []string{name}
	}
	if unique {
		t.uniques = append(t.uniques, catKey{name: name, cols: []string{name}})
	}
}

func (t *catTable) insert(col catCol, pos *ast.ColumnPosition) {
	at := len(t.cols)
	if pos != nil {
		switch pos.Tp {
		case ast.ColumnPositionFirst:
			at = 0
		case ast.ColumnPositionAfter:
			if i := t.colIndex(pos.RelativeColumn.Name.O); i >= 0 {
				at = i + 1
			}
		}
	}
	t.cols = slices.Insert(t.cols, at, col)
}

func (t *catTable) addKey(k *ast.Constraint) {
	var names []string
	for _, p := range k.Keys {
		if p.Column == nil { // a functional key part: not usable for WHERE
			return
		}
		names = append(names, p.Column.Name.O)
	}
	switch k.Tp {
	case ast.ConstraintPrimaryKey:
		t.pk = names
		for _, n := range names {
			if i := t.colIndex(n); i >= 0 {
				t.cols[i].notNull = true
			}
		}
	case ast.ConstraintUniq, ast.ConstraintUniqKey, ast.ConstraintUniqIndex:
		name := k.Name
		if name == "" && len(names) > 0 {
			name = names[0] // the server's default index name
			for i := 2; t.hasKey(name); i++ {
				name = fmt.Sprintf("%s_%d", names[0], i)
			}
		}
		t.uniques = append(t.uniques, catKey{name: name, cols: names})
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

func (c *Catalog) alterTable(defaultDB string, s *ast.AlterTableStmt, info rewriteInfo) {
	db := ddlDBOf(s.Table, defaultDB)
	old := c.lookup(db, s.Table.Name.O)
	if old == nil {
		return
	}
	t := old.copy()
	newDB, newName := db, t.name
	for _, sp := range s.Specs {
		switch sp.Tp {
		case ast.AlterTableAddColumns:
			pos := sp.Position
			for _, cd := range sp.NewColumns {
				t.addColumn(cd, pos)
				if pos != nil && pos.Tp != ast.ColumnPositionNone {
					// Several columns with one position: each follows the
					// previous one.
					pos = &ast.ColumnPosition{Tp: ast.ColumnPositionAfter, RelativeColumn: cd.Name}
				}
			}
			for _, k := range sp.NewConstraints {
				t.addKey(k)
			}
		case ast.AlterTableDropColumn:
			if i := t.colIndex(sp.OldColumnName.Name.O); i >= 0 {
				t.cols = slices.Delete(t.cols, i, i+1)
				t.dropFromKeys(sp.OldColumnName.Name.O)
			}
		case ast.AlterTableModifyColumn, ast.AlterTableChangeColumn:
			if len(sp.NewColumns) == 0 {
				continue
			}
			oldName := sp.NewColumns[0].Name.Name.O
			if sp.Tp == ast.AlterTableChangeColumn && sp.OldColumnName != nil {
				oldName = sp.OldColumnName.Name.O
			}
			i := t.colIndex(oldName)
			if i < 0 {
				continue
			}
			col, pk, unique := t.column(sp.NewColumns[0])
			if sp.Position != nil && sp.Position.Tp != ast.ColumnPositionNone {
				t.cols = slices.Delete(t.cols, i, i+1)
				t.insert(col, sp.Position)
			} else {
				t.cols[i] = col
			}
			if !strings.EqualFold(oldName, col.Name) || oldName != col.Name {
				t.renameInKeys(oldName, col.Name)
			}
			t.keysFromOptions(col.Name, pk, unique)
		case ast.AlterTableRenameColumn:
			if i := t.colIndex(sp.OldColumnName.Name.O); i >= 0 {
				t.cols[i].Name = sp.NewColumnName.Name.O
				t.renameInKeys(sp.OldColumnName.Name.O, sp.NewColumnName.Name.O)
			}
		case ast.AlterTableAddConstraint:
			if sp.Constraint != nil {
				t.addKey(sp.Constraint)
			}
		case ast.AlterTableDropPrimaryKey:
			t.pk = nil
		case ast.AlterTableDropIndex:
			t.dropIndex(sp.Name)
		case ast.AlterTableRenameIndex:
			for i := range t.uniques {
				if strings.EqualFold(t.uniques[i].name, sp.FromKey.O) {
					t.uniques[i].name = sp.ToKey.O
				}
			}
		case ast.AlterTableRenameTable:
			newDB, newName = ddlDBOf(sp.NewTable, db), sp.NewTable.Name.O
		case ast.AlterTableOption:
			for _, o := range sp.Options {
				if o.Tp == ast.TableOptionCharset {
					cs := ddlCharsetName(o.StrValue)
					t.charset = cs
					if o.UintValue == ast.TableOptionCharsetWithConvertTo {
						for i := range t.cols {
							if t.cols[i].Charset != "" {
								t.cols[i].Charset = cs
							}
						}
					}
				}
			}
		}
	}
	for _, v := range info.visibility {
		if i := t.colIndex(v.column); i >= 0 {
			t.cols[i].Invisible = v.invisible
		}
	}
	if info.versioned {
		t.versioned = true
	}
	if info.unversioned {
		t.versioned = false
		// Explicit ROW START/END columns go with the versioning.
		t.cols = slices.DeleteFunc(t.cols, func(c catCol) bool { return c.rowPeriod })
	}
	if newDB != db || newName != t.name {
		c.remove(db, t.name)
		t.name = newName
		db = newDB
	}
	c.put(db, t)
}

// What follows is the small SQL lexer the schema sources use before (and
// instead of) the TiDB parser: the keyword check that lets non-DDL
// statements through without a parse, the statement splitter of schema
// files, and the rewriting of MariaDB syntax the TiDB parser cannot read.

// ddlTokKind is the kind of a lexical token.
type ddlTokKind uint8

const (
	ddlTokWord   ddlTokKind = iota // unquoted identifier or keyword
	ddlTokQuoted                   // `identifier`
	ddlTokString                   // 'text' or "text"
	ddlTokNumber
	ddlTokPunct // one byte of punctuation
	// ddlTokVersionOpen is the opener of a version comment, /*!NNNNN or
	// /*M!NNNNN, whose text is SQL; ddlTokVersionClose is its */.
	ddlTokVersionOpen
	ddlTokVersionClose
)

type ddlToken struct {
	kind       ddlTokKind
	start, end int // byte offsets in the statement
}

// ddlLexer walks SQL text token by token, skipping white space and comments.
type ddlLexer struct {
	s         string
	pos       int
	inVersion bool // inside a /*! … */ version comment
}

func ddlWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// next returns the next token; ok is false at the end of the text.
func (l *ddlLexer) next() (t ddlToken, ok bool) {
	s := l.s
	for l.pos < len(s) {
		c := s[l.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			l.pos++
			continue
		case c == '#' || c == '-' && strings.HasPrefix(s[l.pos:], "--") && (l.pos+2 == len(s) || s[l.pos+2] <= ' '):
			if i := strings.IndexByte(s[l.pos:], '\n'); i >= 0 {
				l.pos += i + 1
			} else {
				l.pos = len(s)
			}
			continue
		case c == '*' && l.inVersion && strings.HasPrefix(s[l.pos:], "*/"):
			l.inVersion = false
			l.pos += 2
			return ddlToken{ddlTokVersionClose, l.pos - 2, l.pos}, true
		case c == '/' && strings.HasPrefix(s[l.pos:], "/*"):
			start := l.pos
			j := l.pos + 2
			if strings.HasPrefix(s[j:], "M!") {
				j++
			}
			if j < len(s) && s[j] == '!' && !l.inVersion {
				j++
				for j < len(s) && s[j] >= '0' && s[j] <= '9' {
					j++
				}
				// "/*M!999999\- …*/" is a client command in a comment,
				// not SQL.
				if j >= len(s) || s[j] != '\\' {
					l.pos = j
					l.inVersion = true
					return ddlToken{ddlTokVersionOpen, start, j}, true
				}
			}
			if i := strings.Index(s[l.pos+2:], "*/"); i >= 0 {
				l.pos += 2 + i + 2
			} else {
				l.pos = len(s)
			}
			continue
		case c == '\'' || c == '"' || c == '`':
			start := l.pos
			j := l.pos + 1
			for j < len(s) {
				if s[j] == '\\' && c != '`' {
					j += 2
					continue
				}
				if s[j] == c {
					if j+1 < len(s) && s[j+1] == c { // doubled quote
						j += 2
						continue
					}
					break
				}
				j++
			}
			if j > len(s) {
				j = len(s)
			}
			l.pos = min(j+1, len(s))
			k := ddlTokString
			if c == '`' {
				k = ddlTokQuoted
			}
			return ddlToken{k, start, l.pos}, true
		case ddlWordByte(c):
			start := l.pos
			for l.pos < len(s) && ddlWordByte(s[l.pos]) {
				l.pos++
			}
			k := ddlTokWord
			if c >= '0' && c <= '9' {
				k = ddlTokNumber
				for i := start; i < l.pos; i++ {
					if !(s[i] >= '0' && s[i] <= '9') {
						k = ddlTokWord // 1e3 or 1abc: an identifier may start with a digit
						break
					}
				}
			}
			return ddlToken{k, start, l.pos}, true
		default:
			l.pos++
			return ddlToken{ddlTokPunct, l.pos - 1, l.pos}, true
		}
	}
	return ddlToken{}, false
}

// ddlTokens returns the tokens of s, version-comment markers included.
func ddlTokens(s string) []ddlToken {
	l := ddlLexer{s: s}
	var ts []ddlToken
	for {
		t, ok := l.next()
		if !ok {
			return ts
		}
		ts = append(ts, t)
	}
}

// ddlFirstWords returns up to n leading words of s, upper-cased, skipping
// comments and version-comment markers; it stops at the first token that is
// not a word. It does not allocate beyond the result.
func ddlFirstWords(s string, n int) []string {
	l := ddlLexer{s: s}
	words := make([]string, 0, n)
	for len(words) < n {
		t, ok := l.next()
		if !ok {
			break
		}
		switch t.kind {
		case ddlTokVersionOpen, ddlTokVersionClose:
			continue
		case ddlTokWord:
			words = append(words, strings.ToUpper(s[t.start:t.end]))
		default:
			return words
		}
	}
	return words
}

// ddlStmtClass says what ApplyDDL does with a statement, from its leading
// keywords alone.
type ddlStmtClass uint8

const (
	ddlClassIgnore   ddlStmtClass = iota // cannot change any table's columns or keys
	ddlClassTruncate                     // TRUNCATE: rows go, the schema stays
	ddlClassDDL                          // may change columns, keys or table names: parse it
)

// ddlClassify decides from the first keywords whether a statement can change a
// table's columns, keys or name. Everything else is ignored without a parse:
// DML, transaction control, SET, XA, GRANT, and the DDL of objects that
// hold no rows (views, triggers, routines, events, users) or that leaves
// columns alone (ALTER DATABASE, TRUNCATE, OPTIMIZE, ANALYZE).
func ddlClassify(sql string) ddlStmtClass {
	w := ddlFirstWords(sql, 6)
	if len(w) == 0 {
		return ddlClassIgnore
	}
	rest := w[1:]
	skip := func(words ...string) {
		for len(rest) > 0 {
			found := false
			for _, x := range words {
				if rest[0] == x {
					found = true
				}
			}
			if !found {
				return
			}
			rest = rest[1:]
		}
	}
	switch w[0] {
	case "CREATE":
		skip("OR", "REPLACE", "TEMPORARY", "UNIQUE", "FULLTEXT", "SPATIAL", "ONLINE", "OFFLINE")
		if len(rest) > 0 {
			switch rest[0] {
			case "TABLE", "DATABASE", "SCHEMA", "INDEX", "SEQUENCE":
				return ddlClassDDL
			}
		}
	case "ALTER":
		skip("ONLINE", "OFFLINE", "IGNORE")
		if len(rest) > 0 && rest[0] == "TABLE" { // ALTER SEQUENCE keeps its columns
			return ddlClassDDL
		}
	case "DROP":
		skip("TEMPORARY", "ONLINE", "OFFLINE")
		if len(rest) > 0 {
			switch rest[0] {
			case "TABLE", "TABLES", "DATABASE", "SCHEMA", "INDEX", "SEQUENCE":
				return ddlClassDDL
			}
		}
	case "RENAME":
		if len(rest) > 0 && (rest[0] == "TABLE" || rest[0] == "TABLES") {
			return ddlClassDDL
		}
	case "TRUNCATE":
		return ddlClassTruncate
	}
	return ddlClassIgnore
}

// ddlUnsupportedTypes are column types of MySQL and MariaDB that the TiDB
// parser does not know; rewrite replaces them by BLOB and a marker comment
// that carries the declared type.
var ddlUnsupportedTypes = map[string]bool{
	"GEOMETRY": true, "POINT": true, "LINESTRING": true, "POLYGON": true,
	"MULTIPOINT": true, "MULTILINESTRING": true, "MULTIPOLYGON": true,
	"GEOMETRYCOLLECTION": true, "GEOMCOLLECTION": true,
	"INET4": true, "INET6": true, "UUID": true, "XMLTYPE": true,
}

// Marker comments that rewrite puts into column definitions.
const (
	ddlMarkInvisible = "\x00binlogkit:invisible"
	ddlMarkType      = "\x00binlogkit:type="
	ddlMarkGenerated = "\x00binlogkit:generated"
)

// ddlNameBefore are the words after which a name comes.
var ddlNameBefore = map[string]bool{
	"TABLE": true, "TABLES": true, "COLUMN": true, "ADD": true, "CHANGE": true, "MODIFY": true,
	"TO": true, "AS": true, "EXISTS": true, "INDEX": true, "KEY": true, "ON": true, "LIKE": true,
	"DROP": true, "RENAME": true, "DATABASE": true, "SCHEMA": true, "SEQUENCE": true, "AFTER": true,
	"CONSTRAINT": true, "REFERENCES": true, "USE": true,
}

// ddlKeyWords are the words after which a name is an index name, not a
// column name (INDEX point (…) must stay as it is).
var ddlKeyWords = map[string]bool{
	"KEY": true, "INDEX": true, "UNIQUE": true, "PRIMARY": true, "CONSTRAINT": true,
	"FULLTEXT": true, "SPATIAL": true, "FOREIGN": true, "CHECK": true, "PERIOD": true,
}

// rewriteInfo is what rewrite learned from the text it changed.
type rewriteInfo struct {
	orReplace bool // CREATE OR REPLACE
	// versioned: WITH SYSTEM VERSIONING as a table option (or ALTER …
	// ADD SYSTEM VERSIONING) without explicit ROW START/END columns: the
	// server adds the invisible row_start and row_end columns at the end.
	versioned, unversioned bool
	visibility             []visChange // ALTER COLUMN c SET [IN]VISIBLE
}

type visChange struct {
	column    string
	invisible bool
}

// ddlRewrite turns MariaDB and MySQL syntax the TiDB parser cannot read into
// equivalent text it reads, keeping what the schema needs as marker
// comments or in the returned rewriteInfo:
//   - version comments /*!NNNNN … */ and /*M!NNNNN … */ lose their markers
//     (their text is SQL);
//   - INVISIBLE after a column type becomes a marker comment; ALTER COLUMN
//     c SET [IN]VISIBLE becomes DROP DEFAULT (its effect is in info);
//   - spatial, INET4, INET6, UUID and XMLTYPE column types become BLOB with
//     a marker comment naming the type; SRID n and REF_SYSTEM_ID=n go;
//   - ALTER ONLINE/IGNORE TABLE and CREATE OR REPLACE lose ONLINE, IGNORE
//     and OR REPLACE (replace is reported in info);
//   - a generated column's PERSISTENT becomes STORED; GENERATED ALWAYS AS
//     ROW START/END becomes a generated marker; PERIOD FOR …(a, b) goes;
//     WITH[OUT] SYSTEM VERSIONING goes and ADD/DROP SYSTEM VERSIONING
//     becomes FORCE (reported in info);
//   - WITHOUT OVERLAPS and MariaDB vector indexes go;
//   - WAIT n, NOWAIT, column COMPRESSED[=method], index [NOT] IGNORED,
//     RENAME TABLE IF EXISTS and DEFAULT (expression) go; ALGORITHM=NOCOPY
//     becomes INPLACE.
func ddlRewrite(sql string) (out string, info rewriteInfo) {
	ts := ddlTokens(sql)
	var b strings.Builder
	last := 0
	// replace writes repl instead of tokens from…to (inclusive).
	replace := func(from, to int, repl string) {
		if ts[from].start < last {
			return
		}
		b.WriteString(sql[last:ts[from].start])
		b.WriteString(repl)
		last = ts[to].end
	}
	word := func(i int) string {
		if i < 0 || i >= len(ts) || ts[i].kind != ddlTokWord {
			return ""
		}
		return strings.ToUpper(sql[ts[i].start:ts[i].end])
	}
	isName := func(i int) bool {
		return i >= 0 && i < len(ts) && (ts[i].kind == ddlTokWord || ts[i].kind == ddlTokQuoted)
	}
	punct := func(i int, c byte) bool {
		return i >= 0 && i < len(ts) && ts[i].kind == ddlTokPunct && sql[ts[i].start] == c
	}
	name := func(i int) string {
		if ts[i].kind == ddlTokQuoted {
			return ddlUnquoteIdent(sql[ts[i].start:ts[i].end])
		}
		return sql[ts[i].start:ts[i].end]
	}
	// open[i] is the index of the '(' that the ')' at i closes and
	// closing[i] the reverse (-1 when none), computed in one pass.
	open := make([]int, len(ts))
	closing := make([]int, len(ts))
	var stack []int
	for i := range ts {
		open[i], closing[i] = -1, -1
		if punct(i, '(') {
			stack = append(stack, i)
		} else if punct(i, ')') && len(stack) > 0 {
			open[i] = stack[len(stack)-1]
			closing[open[i]] = i
			stack = stack[:len(stack)-1]
		}
	}
	// afterKeyParts reports whether token i follows the parenthesised key
	// parts of an index (KEY k USING BTREE (a) INVISIBLE), not a type's
	// length (c int(11) INVISIBLE).
	afterKeyParts := func(i int) bool {
		if !punct(i-1, ')') || open[i-1] < 0 {
			return false
		}
		j := open[i-1]
		for k := j - 1; k >= j-4 && k >= 0; k-- {
			if ddlKeyWords[word(k)] || word(k) == "USING" {
				return true
			}
		}
		return false
	}
	// Index of the first real token (after a version opener).
	first := 0
	for first < len(ts) && ts[first].kind == ddlTokVersionOpen {
		first++
	}
	// namePos reports whether the word at i stands where a table, column
	// or index name is expected, so that a table named compressed or a
	// column named invisible keeps its name.
	namePos := func(i int) bool {
		switch {
		case punct(i-1, '(') || punct(i-1, ',') || punct(i-1, '.'):
			return true
		case ddlNameBefore[word(i-1)]:
			return true
		case isName(i-1) && (word(i-2) == "CHANGE" || word(i-2) == "COLUMN" && word(i-3) == "CHANGE"):
			return true // CHANGE [COLUMN] old new
		}
		return false
	}
	explicitRowStart := false
	depth := 0
	for i := 0; i < len(ts); i++ {
		t := ts[i]
		switch t.kind {
		case ddlTokVersionOpen, ddlTokVersionClose:
			replace(i, i, " ")
			continue
		case ddlTokPunct:
			if punct(i, '(') {
				depth++
			} else if punct(i, ')') {
				depth--
			}
			continue
		case ddlTokWord:
		default:
			continue
		}
		w := word(i)
		np := namePos(i) // single words there are names, not syntax
		switch {
		case (w == "ONLINE" || w == "IGNORE" || w == "OFFLINE") && !np && i == first+1 && word(first) == "ALTER":
			replace(i, i, " ")
		case w == "OR" && i == first+1 && word(first) == "CREATE" && word(i+1) == "REPLACE":
			replace(i, i+1, " ")
			info.orReplace = true
			i++
		case w == "IF" && word(i+1) == "EXISTS" && i == first+2 && word(first) == "RENAME":
			replace(i, i+1, " ")
			i++
		case w == "ALTER" && word(i+1) == "COLUMN" && isName(i+2) && word(i+3) == "SET" && (word(i+4) == "VISIBLE" || word(i+4) == "INVISIBLE"):
			info.visibility = append(info.visibility, visChange{name(i + 2), word(i+4) == "INVISIBLE"})
			replace(i+3, i+4, "DROP DEFAULT")
			i += 4
		case w == "INVISIBLE" && !np && !ddlKeyWords[word(i-2)] && word(i-1) != "SET" && !afterKeyParts(i):
			// After a column type (not an index's column list, not ALTER
			// INDEX i INVISIBLE).
			replace(i, i, " COMMENT '"+ddlMarkInvisible+"' ")
		case ddlUnsupportedTypes[w] && isName(i-1) && !ddlKeyWords[word(i-1)] && !punct(i+1, '(') &&
			(punct(i-2, '(') || punct(i-2, ',') || isName(i-2)):
			replace(i, i, " BLOB COMMENT '"+ddlMarkType+strings.ToLower(w)+"' ")
		case w == "PERSISTENT" && !np && punct(i-1, ')'):
			// MariaDB's synonym of STORED for a generated column.
			replace(i, i, "STORED")
		case w == "SRID" && i+1 < len(ts) && ts[i+1].kind == ddlTokNumber && !punct(i+2, '('):
			replace(i, i+1, " ")
			i++
		case w == "REF_SYSTEM_ID" && punct(i+1, '=') && i+2 < len(ts) && ts[i+2].kind == ddlTokNumber:
			replace(i, i+2, " ")
			i += 2
		case w == "WAIT" && !np && i+1 < len(ts) && ts[i+1].kind == ddlTokNumber:
			replace(i, i+1, " ")
			i++
		case w == "NOWAIT" && !np:
			replace(i, i, " ")
		case w == "NOCOPY" && (word(i-1) == "ALGORITHM" || punct(i-1, '=') && word(i-2) == "ALGORITHM"):
			replace(i, i, "INPLACE")
		case w == "COMPRESSED" && !np && !punct(i-1, '=') && word(i-1) != "ROW_FORMAT" && word(i-1) != "PAGE_COMPRESSED":
			if punct(i+1, '=') && isName(i+2) {
				replace(i, i+2, " ")
				i += 2
			} else {
				replace(i, i, " ")
			}
		case w == "NOT" && !np && word(i+1) == "IGNORED":
			replace(i, i+1, " ")
			i++
		case w == "IGNORED" && !np:
			replace(i, i, " ")
		case w == "DEFAULT" && punct(i+1, '(') && closing[i+1] > 0:
			replace(i, closing[i+1], " ")
			i = closing[i+1]
		case (w == "GENERATED" && word(i+1) == "ALWAYS" && word(i+2) == "AS" && word(i+3) == "ROW" && (word(i+4) == "START" || word(i+4) == "END")):
			explicitRowStart = true
			replace(i, i+4, " COMMENT '"+ddlMarkGenerated+"' ")
			i += 4
		case w == "AS" && word(i+1) == "ROW" && (word(i+2) == "START" || word(i+2) == "END"):
			explicitRowStart = true
			replace(i, i+2, " COMMENT '"+ddlMarkGenerated+"' ")
			i += 2
		case w == "PERIOD" && word(i+1) == "FOR" && i+3 < len(ts) && punct(i+3, '(') && closing[i+3] > 0:
			from := i
			if punct(i-1, ',') {
				from = i - 1
			} else if word(i-1) == "ADD" {
				from = i - 1 // ALTER TABLE … ADD PERIOD FOR …: nothing left to do
				replace(from, closing[i+3], "FORCE")
				i = closing[i+3]
				continue
			}
			replace(from, closing[i+3], " ")
			i = closing[i+3]
		case w == "WITHOUT" && word(i+1) == "OVERLAPS":
			// UNIQUE (k, period WITHOUT OVERLAPS): the key names a period,
			// not a column, and is then left out of the unique keys.
			replace(i, i+1, " ")
			i++
		case w == "VECTOR" && (word(i+1) == "INDEX" || word(i+1) == "KEY") && punct(i-1, ','):
			// MariaDB's vector index with its M= and DISTANCE= options:
			// no use for row identification, so it goes as a whole.
			j := i + 2
			for j < len(ts) && !punct(j, '(') {
				j++
			}
			if j >= len(ts) || closing[j] < 0 {
				break
			}
			end := closing[j]
			for end+3 < len(ts) && (word(end+1) == "M" || word(end+1) == "DISTANCE") && punct(end+2, '=') {
				end += 3
			}
			replace(i-1, end, " ")
			i = end
		case (w == "WITH" || w == "WITHOUT") && word(i+1) == "SYSTEM" && word(i+2) == "VERSIONING":
			if w == "WITH" && depth == 0 {
				info.versioned = true
			}
			replace(i, i+2, " ")
			i += 2
		case (w == "ADD" || w == "DROP") && word(i+1) == "SYSTEM" && word(i+2) == "VERSIONING":
			if w == "ADD" {
				info.versioned = true
			} else {
				info.unversioned = true
			}
			replace(i, i+2, "FORCE")
			i += 2
		}
	}
	if explicitRowStart {
		info.versioned = false
	}
	if last == 0 {
		return sql, info
	}
	b.WriteString(sql[last:])
	return b.String(), info
}

// ddlStripCollations removes COLLATE name and COLLATE=name clauses, for a
// second attempt when the parser rejects a collation it does not know
// (MariaDB's uca1400 collations, for instance). A column's collation does
// not matter to SQL generation.
func ddlStripCollations(sql string) string {
	ts := ddlTokens(sql)
	var b strings.Builder
	last := 0
	for i := 0; i < len(ts); i++ {
		t := ts[i]
		if t.kind != ddlTokWord || !strings.EqualFold(sql[t.start:t.end], "COLLATE") {
			continue
		}
		j := i + 1
		if j < len(ts) && ts[j].kind == ddlTokPunct && sql[ts[j].start] == '=' {
			j++
		}
		if j < len(ts) && ts[j].kind != ddlTokPunct {
			b.WriteString(sql[last:t.start])
			b.WriteByte(' ')
			last = ts[j].end
			i = j
		}
	}
	b.WriteString(sql[last:])
	return b.String()
}

// ddlCutTableOptions returns a CREATE TABLE statement cut after the closing
// parenthesis of its definition list (table options and partitioning go),
// for a second attempt when the parser rejects a table option it does not
// know (MariaDB's WITH SYSTEM VERSIONING, for instance). ok is false when
// the statement has no definition list or goes on with a SELECT, whose
// columns the cut would lose.
func ddlCutTableOptions(sql string) (string, bool) {
	ts := ddlTokens(sql)
	versioning := strings.Contains(strings.ToUpper(sql), "VERSIONING")
	depth := 0
	for i, t := range ts {
		if t.kind != ddlTokPunct {
			continue
		}
		switch sql[t.start] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				for _, u := range ts[i+1:] {
					if u.kind == ddlTokWord {
						switch strings.ToUpper(sql[u.start:u.end]) {
						case "SELECT", "AS", "WITH", "VALUES", "TABLE":
							// WITH SYSTEM VERSIONING is an option; WITH
							// … SELECT is a query.
							if w := strings.ToUpper(sql[u.start:u.end]); w != "WITH" || !versioning {
								return "", false
							}
						}
					}
				}
				return sql[:t.end], true
			}
		}
	}
	return "", false
}

// ddlQuoteTableName backquotes the table name after the first TABLE keyword
// when it is a bare word, for a last attempt when the name is a word the
// TiDB parser reserves and the server did not (CREATE TABLE GENERATED …,
// valid in MySQL 5.6).
func ddlQuoteTableName(sql string) (string, bool) {
	ts := ddlTokens(sql)
	for i, t := range ts {
		if t.kind != ddlTokWord || !strings.EqualFold(sql[t.start:t.end], "TABLE") {
			continue
		}
		j := i + 1
		if j < len(ts) && ts[j].kind == ddlTokWord && strings.EqualFold(sql[ts[j].start:ts[j].end], "IF") {
			for j < len(ts) && ts[j].kind == ddlTokWord && !strings.EqualFold(sql[ts[j].start:ts[j].end], "EXISTS") {
				j++
			}
			j++
		}
		if j >= len(ts) || ts[j].kind != ddlTokWord {
			return "", false
		}
		n := ts[j]
		if j+2 < len(ts) && ts[j+1].kind == ddlTokPunct && sql[ts[j+1].start] == '.' && ts[j+2].kind == ddlTokWord {
			m := ts[j+2]
			return sql[:n.start] + "`" + sql[n.start:n.end] + "`.`" + sql[m.start:m.end] + "`" + sql[m.end:], true
		}
		return sql[:n.start] + "`" + sql[n.start:n.end] + "`" + sql[n.end:], true
	}
	return "", false
}
