package schema

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/binlogkit/binlogkit/event"
	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/charset"
	"github.com/pingcap/tidb/pkg/parser/mysql"
	_ "github.com/pingcap/tidb/pkg/parser/test_driver" // value expressions (DEFAULT, COMMENT) for the parser
)

// RegisterParserCharsets registers with the TiDB parser the character sets
// that MySQL and MariaDB have and TiDB lacks (armscii8, big5, cp1250,
// cp1251, cp1256, cp1257, cp850, cp852, cp866, cp932, dec8, eucjpms, euckr,
// gb2312, geostd8, greek, hebrew, hp8, keybcs2, koi8r, koi8u, latin2,
// latin5, latin7, macce, macroman, sjis, swe7, tis620, ucs2, ujis, utf16,
// utf16le, utf32), so that CREATE TABLE statements naming them parse: the
// parser knows their names but refuses them.
//
// This changes the TiDB parser's charset table, which is process-wide: in
// a program that also uses that parser for its own purposes, its parsers
// then accept these character sets too. A Catalog calls
// RegisterParserCharsets before its first parse, so a program needs to
// call it only when it uses the TiDB parser elsewhere concurrently with a
// Catalog's first parse (call it first, then). It is safe to call more
// than once and from several goroutines; only the first call does
// anything.
func RegisterParserCharsets() {
	registerCharsets.Do(func() {
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
	})
}

var registerCharsets sync.Once

// ErrDDL is wrapped by the error of a DDL statement that cannot be read
// (by Catalog.ApplyDDL, and so by LoadFile, Parse and Server.ApplyDDL).
var ErrDDL = errors.New("schema: DDL statement not understood")

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
// The first statement parsed registers with the TiDB parser the character
// sets MySQL and MariaDB have and TiDB lacks (see RegisterParserCharsets).
//
// Statements about tables the Catalog does not know (an ALTER of a table
// created before the schema snapshot) are ignored.
func (c *Catalog) ApplyDDL(defaultDB, sql string) error {
	// A statement parsed before is known to need it: files with much DDL
	// repeat their statements, and reading the leading keywords again cost
	// a copy of the text and a quarter of the work of applying it.
	stmts, ok := c.parsed[sql]
	if !ok {
		if !ddlParses(sql) {
			return nil
		}
		var err error
		if stmts, err = c.parse(ddlStripSetStatement(sql)); err != nil {
			return fmt.Errorf("%w: %q: %v", ErrDDL, ddlStmtStart(sql), err)
		}
		if len(sql) <= maxParsedBytes/16 {
			if c.parsed == nil || len(c.parsed) >= maxParsed || c.parsedBytes+len(sql) > maxParsedBytes {
				c.parsed, c.parsedBytes = make(map[string][]parsedStmt), 0
				c.columns = nil
			}
			c.parsed[sql] = stmts
			c.parsedBytes += len(sql)
		}
	}
	for i := range stmts {
		c.apply(defaultDB, &stmts[i])
	}
	c.gen++
	return nil
}

type parsedStmt struct {
	node ast.StmtNode
	info rewriteInfo
	// created is the table a CREATE TABLE made when last applied, in
	// database createdDB whose default character set was createdCharset:
	// applied again in the same circumstances it makes a copy of it.
	created                   *catTable
	createdDB, createdCharset string
}

// parseText runs the TiDB parser. The parser is generated code outside
// this project; a panic in it is turned into an error so that a hostile
// statement in a binlog cannot crash the caller (the parser is replaced, as
// its state is then unknown).
func (c *Catalog) parseText(text string) (nodes []ast.StmtNode, err error) {
	if c.p == nil {
		RegisterParserCharsets()
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
			if cut, ok := ddlCutTableOptions(alt); ok && ddlCreates(alt) {
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
		out[i] = parsedStmt{node: n, info: info}
	}
	return out, nil
}

// ddlCreates reports whether sql is a CREATE that ApplyDDL parses.
func ddlCreates(sql string) bool {
	st := event.ClassifyStatement([]byte(sql))
	return st.Verb == event.DDLCreate && ddlParsesStatement(st)
}

func ddlDBOf(n *ast.TableName, defaultDB string) string {
	if n.Schema.O != "" {
		return n.Schema.O
	}
	return defaultDB
}

func (c *Catalog) apply(defaultDB string, ps *parsedStmt) {
	info := ps.info
	switch s := ps.node.(type) {
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
		c.createTable(defaultDB, s, ps)
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

func (c *Catalog) createTable(defaultDB string, s *ast.CreateTableStmt, ps *parsedStmt) {
	info := ps.info
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
	dbCharset := ""
	if d := c.dbs[strings.ToLower(db)]; d != nil {
		dbCharset = d.charset
	}
	if ps.created != nil && ps.createdDB == db && ps.createdCharset == dbCharset {
		// Shared, not copied: a stored table changes only through a copy.
		c.put(db, ps.created)
		return
	}
	t := &catTable{name: name, charset: dbCharset}
	for _, o := range s.Options {
		if o.Tp == ast.TableOptionCharset {
			t.charset = ddlCharsetName(o.StrValue)
		}
	}
	// The server refuses a CREATE TABLE that names a column twice: no
	// lookup of the columns before.
	t.cols = make([]catCol, 0, len(s.Cols))
	for _, cd := range s.Cols {
		col, pk, unique := c.column(t, cd)
		t.cols = append(t.cols, col)
		t.keysFromOptions(col.Name, pk, unique)
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
	ps.created, ps.createdDB, ps.createdCharset = t, db, dbCharset
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

// column is t.column, remembered for the definitions of the statements
// Catalog.parsed holds.
func (c *Catalog) column(t *catTable, cd *ast.ColumnDef) (col catCol, pk, unique bool) {
	k := columnKey{cd, t.charset}
	if m, ok := c.columns[k]; ok {
		return m.col, m.pk, m.unique
	}
	col, pk, unique = t.column(cd)
	if c.columns == nil || len(c.columns) >= maxColumns {
		c.columns = make(map[columnKey]columnMemo)
	}
	c.columns[k] = columnMemo{col, pk, unique}
	return col, pk, unique
}

// maxColumns bounds the definitions Catalog.column remembers (they hold
// their statements' syntax trees, parsed or remembered).
const maxColumns = 1 << 14

// columnKey and columnMemo are what Catalog.column remembers.
type columnKey struct {
	cd      *ast.ColumnDef
	charset string
}

type columnMemo struct {
	col        catCol
	pk, unique bool
}

// column turns a column definition into a catCol and the keys its options
// declare.
func (t *catTable) column(cd *ast.ColumnDef) (col catCol, pk, unique bool) {
	col.Name = cd.Name.Name.O
	tp := cd.Tp
	col.Type = tp.InfoSchemaStr()
	col.Unsigned = mysql.HasUnsignedFlag(tp.GetFlag())
	switch tp.GetType() {
	case mysql.TypeDuration, mysql.TypeDatetime, mysql.TypeTimestamp:
		// TIME, DATETIME and TIMESTAMP without (n) have precision 0 (the
		// parser leaves the decimals unspecified, -1).
		col.Precision = max(tp.GetDecimal(), 0)
	}
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
func (c *Catalog) addColumn(t *catTable, cd *ast.ColumnDef, pos *ast.ColumnPosition) {
	col, pk, unique := c.column(t, cd)
	if i := t.colIndex(col.Name); i >= 0 { // ADD COLUMN IF NOT EXISTS of an existing one
		return
	}
	t.insert(col, pos)
	t.keysFromOptions(col.Name, pk, unique)
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
				c.addColumn(t, cd, pos)
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
			col, pk, unique := c.column(t, sp.NewColumns[0])
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
