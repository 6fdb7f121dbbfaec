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
