package event

// This file reads the tables a statement names from its leading clauses,
// with the lexer of ClassifyStatement.

// TableRef is a table a statement names. DB is empty when the statement
// leaves the table to its default database; Table is empty when the
// statement names a database only (CREATE, ALTER or DROP DATABASE).
type TableRef struct {
	DB, Table string
}

// maxStatementTables bounds the names StatementTables reads from one list
// (DROP TABLE a, b, …; RENAME TABLE a TO b, …).
const maxStatementTables = 256

// StatementTables returns the tables the statement q changes or defines, as
// its leading clauses name them:
//
//   - INSERT, REPLACE [INTO] t; UPDATE t[, t2…] … SET; DELETE FROM t;
//     LOAD DATA … INTO TABLE t;
//   - CREATE, ALTER, DROP, RENAME and TRUNCATE of tables, views and
//     sequences (every table of DROP TABLE a, b and both sides of RENAME
//     TABLE a TO b); CREATE and DROP INDEX … ON t;
//   - CREATE, ALTER and DROP DATABASE (a TableRef with Table empty).
//
// Keywords and comments are read as ClassifyStatement reads them, and
// MariaDB's SET STATEMENT … FOR s gives the tables of s. ok is false when
// the statement is of another kind or its tables cannot be told from its
// first clauses (a multi-table UPDATE or DELETE with JOIN or USING, INSERT …
// SELECT's source tables are not read either): callers then judge the
// statement otherwise, say by its default database. Names are unquoted
// (a doubled quote inside a quoted name stands for one); no other
// normalisation is done.
func StatementTables(q []byte) (tables []TableRef, ok bool) {
	l := stmtLexer{s: q}
	return l.tables(nil, 0)
}

// tables is StatementTables from the current position; depth counts nested
// SET STATEMENT … FOR.
func (l *stmtLexer) tables(dst []TableRef, depth int) ([]TableRef, bool) {
	w := l.word()
	switch {
	case w == nil:
		return nil, false
	case equalFold(w, "INSERT"), equalFold(w, "REPLACE"):
		l.skipWords("LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "INTO")
		return l.oneName(dst)
	case equalFold(w, "UPDATE"):
		l.skipWords("LOW_PRIORITY", "IGNORE")
		return l.nameList(dst, "SET")
	case equalFold(w, "DELETE"):
		l.skipWords("LOW_PRIORITY", "QUICK", "IGNORE")
		if !l.peekWord("FROM") {
			return nil, false // DELETE t1, t2 FROM …
		}
		dst, ok := l.oneName(dst)
		if !ok {
			return nil, false
		}
		// DELETE FROM t1, t2 USING … and DELETE FROM t JOIN … name more.
		save := l.s
		k, t := l.next()
		l.s = save
		if k == tokPunct && t[0] == ',' || k == tokWord && (equalFold(t, "USING") || equalFold(t, "JOIN")) {
			return nil, false
		}
		return dst, true
	case equalFold(w, "LOAD"):
		// LOAD DATA|XML … INTO TABLE t
		for range 64 {
			k, t := l.next()
			if k == tokEOF {
				return nil, false
			}
			if k == tokWord && equalFold(t, "INTO") && l.peekWord("TABLE") {
				return l.oneName(dst)
			}
		}
		return nil, false
	case equalFold(w, "SET"):
		if depth < 4 && l.peekWord("STATEMENT") {
			for range maxSetStatementTokens {
				k, t := l.next()
				if k == tokEOF {
					break
				}
				if k == tokWord && equalFold(t, "FOR") {
					return l.tables(dst, depth+1)
				}
			}
		}
		return nil, false
	case equalFold(w, "TRUNCATE"):
		l.peekWord("TABLE")
		return l.oneName(dst)
	case equalFold(w, "RENAME"):
		if !l.peekWord("TABLE") && !l.peekWord("TABLES") {
			return nil, false
		}
		for range maxStatementTables {
			l.skipWords("IF", "EXISTS")
			var ok bool
			if dst, ok = l.oneName(dst); !ok || !l.peekWord("TO") {
				return nil, false
			}
			if dst, ok = l.oneName(dst); !ok {
				return nil, false
			}
			if !l.peekPunct(',') {
				return dst, true
			}
		}
		return nil, false
	case equalFold(w, "CREATE"), equalFold(w, "ALTER"), equalFold(w, "DROP"):
		return l.ddlTables(dst, equalFold(w, "DROP"))
	}
	return nil, false
}

// ddlTables reads the object of CREATE, ALTER or DROP and its name(s).
func (l *stmtLexer) ddlTables(dst []TableRef, drop bool) ([]TableRef, bool) {
	for range 16 {
		k, w := l.next()
		if k != tokWord {
			return nil, false
		}
		switch {
		case equalFold(w, "OR"), equalFold(w, "REPLACE"), equalFold(w, "IGNORE"), equalFold(w, "ONLINE"),
			equalFold(w, "OFFLINE"), equalFold(w, "TEMPORARY"), equalFold(w, "NONBLOCKING"):
		case equalFold(w, "ALGORITHM"), equalFold(w, "DEFINER"):
			if k, p := l.next(); k != tokPunct || p[0] != '=' {
				return nil, false
			}
			l.definerValue()
		case equalFold(w, "SQL"):
			if !l.peekWord("SECURITY") {
				return nil, false
			}
			l.word()
		case equalFold(w, "TABLE"), equalFold(w, "TABLES"), equalFold(w, "VIEW"), equalFold(w, "SEQUENCE"):
			l.skipWords("IF", "NOT", "EXISTS")
			if !drop {
				return l.oneName(dst)
			}
			for range maxStatementTables {
				var ok bool
				if dst, ok = l.oneName(dst); !ok {
					return nil, false
				}
				if !l.peekPunct(',') {
					return dst, true
				}
			}
			return nil, false
		case equalFold(w, "DATABASE"), equalFold(w, "SCHEMA"):
			l.skipWords("IF", "NOT", "EXISTS")
			save := l.s
			if l.skipWords("CHARACTER", "CHARSET", "DEFAULT", "COLLATE", "ENCRYPTION", "READ", "COMMENT", "UPGRADE"); len(l.s) != len(save) {
				return nil, false // ALTER DATABASE of the default database
			}
			name, ok := l.ident()
			if !ok {
				return nil, false
			}
			return append(dst, TableRef{DB: name}), true
		case equalFold(w, "UNIQUE"), equalFold(w, "FULLTEXT"), equalFold(w, "SPATIAL"), equalFold(w, "INDEX"):
			if !equalFold(w, "INDEX") && !l.peekWord("INDEX") {
				return nil, false
			}
			// [IF [NOT] EXISTS] name [USING …] ON t
			for range 16 {
				k, t := l.next()
				if k == tokEOF {
					return nil, false
				}
				if k == tokWord && equalFold(t, "ON") {
					return l.oneName(dst)
				}
			}
			return nil, false
		default:
			return nil, false
		}
	}
	return nil, false
}

// skipWords consumes any of words (upper case) at the current position.
func (l *stmtLexer) skipWords(words ...string) {
	for {
		save := l.s
		w := l.word()
		found := false
		for _, x := range words {
			if equalFold(w, x) {
				found = true
				break
			}
		}
		if !found {
			l.s = save
			return
		}
	}
}

// peekPunct reports whether the next token is the punctuation c
// (consuming it when it is).
func (l *stmtLexer) peekPunct(c byte) bool {
	save := l.s
	if k, t := l.next(); k == tokPunct && t[0] == c {
		return true
	}
	l.s = save
	return false
}

// oneName appends the table name at the current position: name or
// db.name, each a word or a quoted identifier.
func (l *stmtLexer) oneName(dst []TableRef) ([]TableRef, bool) {
	first, ok := l.ident()
	if !ok {
		return nil, false
	}
	if !l.peekPunct('.') {
		return append(dst, TableRef{Table: first}), true
	}
	second, ok := l.ident()
	if !ok {
		return nil, false
	}
	return append(dst, TableRef{DB: first, Table: second}), true
}

// nameList reads "t [[AS] alias][, t2 [[AS] alias]…]" up to the word end
// (UPDATE … SET); anything else (JOIN, a derived table) fails.
func (l *stmtLexer) nameList(dst []TableRef, end string) ([]TableRef, bool) {
	for range maxStatementTables {
		var ok bool
		if dst, ok = l.oneName(dst); !ok {
			return nil, false
		}
		if l.peekPunct(',') {
			continue
		}
		if l.peekWord(end) {
			return dst, true
		}
		// An alias, then a comma or the end.
		l.peekWord("AS")
		if k, _ := l.next(); k != tokWord && k != tokQuoted {
			return nil, false
		}
		if l.peekPunct(',') {
			continue
		}
		if !l.peekWord(end) {
			return nil, false
		}
		return dst, true
	}
	return nil, false
}

// ident reads an identifier: a word, or a `…` or "…" quoted one (unquoted).
// A '…' string is not an identifier.
func (l *stmtLexer) ident() (string, bool) {
	k, t := l.next()
	switch {
	case k == tokWord:
		return string(t), true
	case k == tokQuoted && (t[0] == '`' || t[0] == '"') && len(t) >= 2 && t[len(t)-1] == t[0]:
		q := t[0]
		in := t[1 : len(t)-1]
		out := make([]byte, 0, len(in))
		for i := 0; i < len(in); i++ {
			out = append(out, in[i])
			if in[i] == q && i+1 < len(in) && in[i+1] == q {
				i++
			}
		}
		return string(out), true
	}
	return "", false
}
