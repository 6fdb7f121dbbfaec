package schema

import "strings"

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
//
// Each rewrite is one rule (a method of ddlRewriter) keyed by the word it
// starts at, in ddlRewriteRules.
func ddlRewrite(sql string) (out string, info rewriteInfo) {
	r := newDDLRewriter(sql)
	for i := 0; i < len(r.ts); i++ {
		switch r.ts[i].kind {
		case ddlTokVersionOpen, ddlTokVersionClose:
			r.replace(i, i, " ")
		case ddlTokPunct:
			if r.punct(i, '(') {
				r.depth++
			} else if r.punct(i, ')') {
				r.depth--
			}
		case ddlTokWord:
			for _, rule := range ddlRewriteRules[r.word(i)] {
				if last, ok := rule(r, i); ok {
					i = last
					break
				}
			}
		}
	}
	return r.result()
}

// ddlRule is one rewrite, tried at a word token i: ok is false when it does
// not apply there; else the text is rewritten and last is the index of the
// last token it consumed (i when only the word).
type ddlRule func(r *ddlRewriter, i int) (last int, ok bool)

// ddlRewriteRules are the rewrites by the word they start at, tried in
// order until one applies.
var ddlRewriteRules = func() map[string][]ddlRule {
	m := map[string][]ddlRule{
		"ONLINE":        {(*ddlRewriter).alterOption},
		"IGNORE":        {(*ddlRewriter).alterOption},
		"OFFLINE":       {(*ddlRewriter).alterOption},
		"OR":            {(*ddlRewriter).orReplace},
		"IF":            {(*ddlRewriter).renameIfExists},
		"ALTER":         {(*ddlRewriter).setVisibility},
		"INVISIBLE":     {(*ddlRewriter).invisible},
		"PERSISTENT":    {(*ddlRewriter).persistent},
		"SRID":          {(*ddlRewriter).srid},
		"REF_SYSTEM_ID": {(*ddlRewriter).srid},
		"WAIT":          {(*ddlRewriter).wait},
		"NOWAIT":        {(*ddlRewriter).wait},
		"NOCOPY":        {(*ddlRewriter).nocopy},
		"COMPRESSED":    {(*ddlRewriter).compressed},
		"NOT":           {(*ddlRewriter).ignored},
		"IGNORED":       {(*ddlRewriter).ignored},
		"DEFAULT":       {(*ddlRewriter).defaultExpr},
		"GENERATED":     {(*ddlRewriter).rowStartEnd},
		"AS":            {(*ddlRewriter).rowStartEnd},
		"PERIOD":        {(*ddlRewriter).period},
		"WITHOUT":       {(*ddlRewriter).withoutOverlaps, (*ddlRewriter).versioningOption},
		"WITH":          {(*ddlRewriter).versioningOption},
		"VECTOR":        {(*ddlRewriter).vectorIndex},
		"ADD":           {(*ddlRewriter).alterVersioning},
		"DROP":          {(*ddlRewriter).alterVersioning},
	}
	for t := range ddlUnsupportedTypes {
		m[t] = append(m[t], (*ddlRewriter).unsupportedType)
	}
	return m
}()

// ddlRewriter is the state of one ddlRewrite: the statement's tokens and
// the rewritten text built so far.
type ddlRewriter struct {
	sql  string
	ts   []ddlToken
	b    strings.Builder
	last int // sql[:last] is written to b or replaced
	// open[i] is the index of the '(' that the ')' at i closes and
	// closing[i] the reverse (-1 when none).
	open, closing []int
	first         int // the first token after version-comment openers
	depth         int // parentheses open before the current token
	// explicitRowStart: a column is GENERATED ALWAYS AS ROW START/END, so
	// the server adds no implicit row_start and row_end.
	explicitRowStart bool
	info             rewriteInfo
}

func newDDLRewriter(sql string) *ddlRewriter {
	r := &ddlRewriter{sql: sql, ts: ddlTokens(sql)}
	// open and closing in one pass.
	r.open = make([]int, len(r.ts))
	r.closing = make([]int, len(r.ts))
	var stack []int
	for i := range r.ts {
		r.open[i], r.closing[i] = -1, -1
		if r.punct(i, '(') {
			stack = append(stack, i)
		} else if r.punct(i, ')') && len(stack) > 0 {
			r.open[i] = stack[len(stack)-1]
			r.closing[r.open[i]] = i
			stack = stack[:len(stack)-1]
		}
	}
	for r.first < len(r.ts) && r.ts[r.first].kind == ddlTokVersionOpen {
		r.first++
	}
	return r
}

// result returns the rewritten text (sql itself when nothing changed) and
// what the rules learned.
func (r *ddlRewriter) result() (string, rewriteInfo) {
	if r.explicitRowStart {
		r.info.versioned = false
	}
	if r.last == 0 {
		return r.sql, r.info
	}
	r.b.WriteString(r.sql[r.last:])
	return r.b.String(), r.info
}

// replace writes repl instead of tokens from…to (inclusive).
func (r *ddlRewriter) replace(from, to int, repl string) {
	if r.ts[from].start < r.last {
		return
	}
	r.b.WriteString(r.sql[r.last:r.ts[from].start])
	r.b.WriteString(repl)
	r.last = r.ts[to].end
}

// word returns token i upper-cased when it is a word, else "".
func (r *ddlRewriter) word(i int) string {
	if i < 0 || i >= len(r.ts) || r.ts[i].kind != ddlTokWord {
		return ""
	}
	return strings.ToUpper(r.sql[r.ts[i].start:r.ts[i].end])
}

// isName reports whether token i is a word or a quoted identifier.
func (r *ddlRewriter) isName(i int) bool {
	return i >= 0 && i < len(r.ts) && (r.ts[i].kind == ddlTokWord || r.ts[i].kind == ddlTokQuoted)
}

// isNumber reports whether token i is a number.
func (r *ddlRewriter) isNumber(i int) bool {
	return i >= 0 && i < len(r.ts) && r.ts[i].kind == ddlTokNumber
}

// punct reports whether token i is the punctuation c.
func (r *ddlRewriter) punct(i int, c byte) bool {
	return i >= 0 && i < len(r.ts) && r.ts[i].kind == ddlTokPunct && r.sql[r.ts[i].start] == c
}

// name returns the identifier at token i, unquoted.
func (r *ddlRewriter) name(i int) string {
	if r.ts[i].kind == ddlTokQuoted {
		return ddlUnquoteIdent(r.sql[r.ts[i].start:r.ts[i].end])
	}
	return r.sql[r.ts[i].start:r.ts[i].end]
}

// afterKeyParts reports whether token i follows the parenthesised key
// parts of an index (KEY k USING BTREE (a) INVISIBLE), not a type's
// length (c int(11) INVISIBLE).
func (r *ddlRewriter) afterKeyParts(i int) bool {
	if !r.punct(i-1, ')') || r.open[i-1] < 0 {
		return false
	}
	j := r.open[i-1]
	for k := j - 1; k >= j-4 && k >= 0; k-- {
		if ddlKeyWords[r.word(k)] || r.word(k) == "USING" {
			return true
		}
	}
	return false
}

// namePos reports whether the word at i stands where a table, column or
// index name is expected, so that a table named compressed or a column
// named invisible keeps its name.
func (r *ddlRewriter) namePos(i int) bool {
	switch {
	case r.punct(i-1, '(') || r.punct(i-1, ',') || r.punct(i-1, '.'):
		return true
	case ddlNameBefore[r.word(i-1)]:
		return true
	case r.isName(i-1) && (r.word(i-2) == "CHANGE" || r.word(i-2) == "COLUMN" && r.word(i-3) == "CHANGE"):
		return true // CHANGE [COLUMN] old new
	}
	return false
}

// alterOption drops ONLINE, IGNORE or OFFLINE after ALTER.
func (r *ddlRewriter) alterOption(i int) (int, bool) {
	if r.namePos(i) || i != r.first+1 || r.word(r.first) != "ALTER" {
		return i, false
	}
	r.replace(i, i, " ")
	return i, true
}

// orReplace drops OR REPLACE after CREATE and reports it in info.
func (r *ddlRewriter) orReplace(i int) (int, bool) {
	if i != r.first+1 || r.word(r.first) != "CREATE" || r.word(i+1) != "REPLACE" {
		return i, false
	}
	r.replace(i, i+1, " ")
	r.info.orReplace = true
	return i + 1, true
}

// renameIfExists drops the IF EXISTS of RENAME TABLE IF EXISTS.
func (r *ddlRewriter) renameIfExists(i int) (int, bool) {
	if r.word(i+1) != "EXISTS" || i != r.first+2 || r.word(r.first) != "RENAME" {
		return i, false
	}
	r.replace(i, i+1, " ")
	return i + 1, true
}

// setVisibility turns ALTER COLUMN c SET [IN]VISIBLE into ALTER COLUMN c
// DROP DEFAULT, which changes nothing the schema keeps, and reports the
// change in info.
func (r *ddlRewriter) setVisibility(i int) (int, bool) {
	if r.word(i+1) != "COLUMN" || !r.isName(i+2) || r.word(i+3) != "SET" || r.word(i+4) != "VISIBLE" && r.word(i+4) != "INVISIBLE" {
		return i, false
	}
	r.info.visibility = append(r.info.visibility, visChange{r.name(i + 2), r.word(i+4) == "INVISIBLE"})
	r.replace(i+3, i+4, "DROP DEFAULT")
	return i + 4, true
}

// invisible turns INVISIBLE after a column type (not after an index's
// column list, not ALTER INDEX i INVISIBLE) into a marker comment.
func (r *ddlRewriter) invisible(i int) (int, bool) {
	if r.namePos(i) || ddlKeyWords[r.word(i-2)] || r.word(i-1) == "SET" || r.afterKeyParts(i) {
		return i, false
	}
	r.replace(i, i, " COMMENT '"+ddlMarkInvisible+"' ")
	return i, true
}

// unsupportedType turns a column type of ddlUnsupportedTypes into BLOB and
// a marker comment naming the type.
func (r *ddlRewriter) unsupportedType(i int) (int, bool) {
	if !r.isName(i-1) || ddlKeyWords[r.word(i-1)] || r.punct(i+1, '(') ||
		!(r.punct(i-2, '(') || r.punct(i-2, ',') || r.isName(i-2)) {
		return i, false
	}
	r.replace(i, i, " BLOB COMMENT '"+ddlMarkType+strings.ToLower(r.word(i))+"' ")
	return i, true
}

// persistent turns MariaDB's PERSISTENT, a synonym of STORED for a
// generated column, into STORED.
func (r *ddlRewriter) persistent(i int) (int, bool) {
	if r.namePos(i) || !r.punct(i-1, ')') {
		return i, false
	}
	r.replace(i, i, "STORED")
	return i, true
}

// srid drops a spatial column's SRID n or REF_SYSTEM_ID=n.
func (r *ddlRewriter) srid(i int) (int, bool) {
	switch {
	case r.word(i) == "SRID" && r.isNumber(i+1) && !r.punct(i+2, '('):
		r.replace(i, i+1, " ")
		return i + 1, true
	case r.word(i) == "REF_SYSTEM_ID" && r.punct(i+1, '=') && r.isNumber(i+2):
		r.replace(i, i+2, " ")
		return i + 2, true
	}
	return i, false
}

// wait drops WAIT n and NOWAIT (lock timeouts).
func (r *ddlRewriter) wait(i int) (int, bool) {
	switch {
	case r.namePos(i):
	case r.word(i) == "WAIT" && r.isNumber(i+1):
		r.replace(i, i+1, " ")
		return i + 1, true
	case r.word(i) == "NOWAIT":
		r.replace(i, i, " ")
		return i, true
	}
	return i, false
}

// nocopy turns ALGORITHM=NOCOPY into ALGORITHM=INPLACE.
func (r *ddlRewriter) nocopy(i int) (int, bool) {
	if r.word(i-1) != "ALGORITHM" && !(r.punct(i-1, '=') && r.word(i-2) == "ALGORITHM") {
		return i, false
	}
	r.replace(i, i, "INPLACE")
	return i, true
}

// compressed drops a column's COMPRESSED[=method] (not the table options
// ROW_FORMAT=COMPRESSED and PAGE_COMPRESSED).
func (r *ddlRewriter) compressed(i int) (int, bool) {
	if r.namePos(i) || r.punct(i-1, '=') || r.word(i-1) == "ROW_FORMAT" || r.word(i-1) == "PAGE_COMPRESSED" {
		return i, false
	}
	if r.punct(i+1, '=') && r.isName(i+2) {
		r.replace(i, i+2, " ")
		return i + 2, true
	}
	r.replace(i, i, " ")
	return i, true
}

// ignored drops an index's IGNORED or NOT IGNORED.
func (r *ddlRewriter) ignored(i int) (int, bool) {
	switch {
	case r.namePos(i):
	case r.word(i) == "NOT" && r.word(i+1) == "IGNORED":
		r.replace(i, i+1, " ")
		return i + 1, true
	case r.word(i) == "IGNORED":
		r.replace(i, i, " ")
		return i, true
	}
	return i, false
}

// defaultExpr drops DEFAULT (expression), which the parser cannot evaluate
// and the schema does not keep.
func (r *ddlRewriter) defaultExpr(i int) (int, bool) {
	if !r.punct(i+1, '(') || r.closing[i+1] <= 0 {
		return i, false
	}
	r.replace(i, r.closing[i+1], " ")
	return r.closing[i+1], true
}

// rowStartEnd turns [GENERATED ALWAYS] AS ROW START/END into a generated
// marker comment; such explicit columns mean the server adds no implicit
// ones.
func (r *ddlRewriter) rowStartEnd(i int) (int, bool) {
	as := i
	if r.word(i) == "GENERATED" {
		if r.word(i+1) != "ALWAYS" || r.word(i+2) != "AS" {
			return i, false
		}
		as = i + 2
	}
	if r.word(as+1) != "ROW" || r.word(as+2) != "START" && r.word(as+2) != "END" {
		return i, false
	}
	r.explicitRowStart = true
	r.replace(i, as+2, " COMMENT '"+ddlMarkGenerated+"' ")
	return as + 2, true
}

// period drops PERIOD FOR name(start, end) from a definition list; ALTER
// TABLE … ADD PERIOD FOR …, which then has nothing left to do, becomes
// FORCE.
func (r *ddlRewriter) period(i int) (int, bool) {
	if r.word(i+1) != "FOR" || !r.punct(i+3, '(') || r.closing[i+3] <= 0 {
		return i, false
	}
	end := r.closing[i+3]
	switch {
	case r.punct(i-1, ','):
		r.replace(i-1, end, " ")
	case r.word(i-1) == "ADD":
		r.replace(i-1, end, "FORCE")
	default:
		r.replace(i, end, " ")
	}
	return end, true
}

// withoutOverlaps drops WITHOUT OVERLAPS: UNIQUE (k, period WITHOUT
// OVERLAPS) names a period, not a column, and is then left out of the
// unique keys.
func (r *ddlRewriter) withoutOverlaps(i int) (int, bool) {
	if r.word(i+1) != "OVERLAPS" {
		return i, false
	}
	r.replace(i, i+1, " ")
	return i + 1, true
}

// vectorIndex drops a MariaDB vector index with its M= and DISTANCE=
// options: it is no use for row identification.
func (r *ddlRewriter) vectorIndex(i int) (int, bool) {
	if r.word(i+1) != "INDEX" && r.word(i+1) != "KEY" || !r.punct(i-1, ',') {
		return i, false
	}
	j := i + 2
	for j < len(r.ts) && !r.punct(j, '(') {
		j++
	}
	if j >= len(r.ts) || r.closing[j] < 0 {
		return i, true // not a definition to drop; leave it to the parser
	}
	end := r.closing[j]
	for end+3 < len(r.ts) && (r.word(end+1) == "M" || r.word(end+1) == "DISTANCE") && r.punct(end+2, '=') {
		end += 3
	}
	r.replace(i-1, end, " ")
	return end, true
}

// versioningOption drops WITH or WITHOUT SYSTEM VERSIONING; as a table
// option (outside the definition list), WITH is reported in info.
func (r *ddlRewriter) versioningOption(i int) (int, bool) {
	if r.word(i+1) != "SYSTEM" || r.word(i+2) != "VERSIONING" {
		return i, false
	}
	if r.word(i) == "WITH" && r.depth == 0 {
		r.info.versioned = true
	}
	r.replace(i, i+2, " ")
	return i + 2, true
}

// alterVersioning turns ALTER TABLE … ADD or DROP SYSTEM VERSIONING into
// FORCE and reports the change in info.
func (r *ddlRewriter) alterVersioning(i int) (int, bool) {
	if r.word(i+1) != "SYSTEM" || r.word(i+2) != "VERSIONING" {
		return i, false
	}
	if r.word(i) == "ADD" {
		r.info.versioned = true
	} else {
		r.info.unversioned = true
	}
	r.replace(i, i+2, "FORCE")
	return i + 2, true
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
