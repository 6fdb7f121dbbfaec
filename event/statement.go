package event

// This file is the one classifier of SQL statement text in the module:
// transaction boundaries, XA, savepoints, DML and DDL told apart by their
// leading keywords, for QUERY events and anyone else who has statement text.

// StatementKind is what a statement does, as its leading keywords tell.
type StatementKind uint8

const (
	// StatementOther is any statement not below (SET, GRANT, REVOKE,
	// FLUSH, ANALYZE TABLE, INSTALL PLUGIN, …) and text that holds no
	// statement (empty, only comments, an unterminated comment).
	StatementOther StatementKind = iota
	// StatementBegin opens a transaction: BEGIN [WORK], START TRANSACTION,
	// XA START and XA BEGIN (Statement.XA set).
	StatementBegin
	// StatementCommit ends a transaction by committing it: COMMIT [WORK]
	// and XA COMMIT (Statement.XA set).
	StatementCommit
	// StatementRollback ends a transaction by rolling it back: ROLLBACK
	// [WORK] and XA ROLLBACK (Statement.XA set); not ROLLBACK TO SAVEPOINT.
	StatementRollback
	// StatementSavepoint sets, releases or rolls back to a savepoint inside a
	// transaction: SAVEPOINT, RELEASE SAVEPOINT, ROLLBACK [WORK] TO
	// [SAVEPOINT].
	StatementSavepoint
	// StatementXA is an XA statement that neither opens nor ends a
	// transaction: XA END, XA PREPARE, XA RECOVER.
	StatementXA
	// StatementDML reads or changes rows: INSERT, UPDATE, DELETE, REPLACE,
	// LOAD DATA/XML, CALL, DO, SELECT, WITH, HANDLER.
	StatementDML
	// StatementDDL creates, alters, drops, renames or truncates an object:
	// CREATE, ALTER, DROP, RENAME, TRUNCATE; Statement.Verb and
	// Statement.Object say which and of what.
	StatementDDL
)

// DDLVerb is the leading keyword of a DDL statement.
type DDLVerb uint8

// The DDL verbs.
const (
	DDLNone DDLVerb = iota // not DDL
	DDLCreate
	DDLAlter
	DDLDrop
	DDLRename
	DDLTruncate
)

// DDLObject is the kind of object a DDL statement is about.
type DDLObject uint8

// The objects of DDL statements.
const (
	ObjectNone     DDLObject = iota // not DDL
	ObjectTable                     // TABLE, TABLES (RENAME/DROP), TRUNCATE [TABLE]
	ObjectIndex                     // INDEX (CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX, DROP INDEX)
	ObjectView                      // VIEW
	ObjectSequence                  // SEQUENCE (MariaDB)
	ObjectDatabase                  // DATABASE or SCHEMA
	ObjectOther                     // anything else: USER, ROLE, TRIGGER, PROCEDURE, FUNCTION, EVENT, SERVER, TABLESPACE, …
)

// Statement is the classification of one SQL statement by its leading
// keywords (see ClassifyStatement).
type Statement struct {
	Kind StatementKind
	// Verb and Object, for Kind == StatementDDL: what is done to what.
	Verb   DDLVerb
	Object DDLObject
	// Temporary is true for CREATE/DROP TEMPORARY TABLE (and CREATE OR
	// REPLACE TEMPORARY TABLE), which servers do not log as rows.
	Temporary bool
	// XA is true for the statements of an XA transaction (XA START, XA END,
	// XA PREPARE, XA COMMIT, XA ROLLBACK, XA RECOVER).
	XA bool
}

// ClassifyStatement tells what the SQL statement q does from its leading
// keywords, without parsing the rest. Keywords are matched without regard
// to case; white space and comments (/* … */, # … and -- … to the end of the
// line) before and between them are skipped, while the content of an
// executable comment (/*!NNNNN … */, MariaDB's /*M!NNNNN … */) is read as
// statement text, as the server reads it. MariaDB's SET STATEMENT … FOR s
// is classified as s. The classification of each kind of statement is in
// StatementKind's constants; what is not recognised is StatementOther.
//
// ClassifyStatement reads at most the first few keywords, never panics and
// does not allocate.
func ClassifyStatement(q []byte) Statement {
	// The transaction boundaries, most QUERY events, as servers write them.
	switch string(q) {
	case "BEGIN":
		return Statement{Kind: StatementBegin}
	case "COMMIT":
		return Statement{Kind: StatementCommit}
	}
	l := stmtLexer{s: q}
	return l.statement(0)
}

// Statement classifies the event's statement text (see ClassifyStatement).
func (q *Query) Statement() Statement { return ClassifyStatement(q.Query) }

// String returns the kind's name ("BEGIN", "DDL", …).
func (k StatementKind) String() string {
	switch k {
	case StatementOther:
		return "other"
	case StatementBegin:
		return "BEGIN"
	case StatementCommit:
		return "COMMIT"
	case StatementRollback:
		return "ROLLBACK"
	case StatementSavepoint:
		return "SAVEPOINT"
	case StatementXA:
		return "XA"
	case StatementDML:
		return "DML"
	case StatementDDL:
		return "DDL"
	}
	return "StatementKind(" + itoa(uint64(k)) + ")"
}

// String returns the verb as SQL spells it ("CREATE", …; "" for DDLNone).
func (v DDLVerb) String() string {
	switch v {
	case DDLNone:
		return ""
	case DDLCreate:
		return "CREATE"
	case DDLAlter:
		return "ALTER"
	case DDLDrop:
		return "DROP"
	case DDLRename:
		return "RENAME"
	case DDLTruncate:
		return "TRUNCATE"
	}
	return "DDLVerb(" + itoa(uint64(v)) + ")"
}

// String returns the object's keyword ("TABLE", …; "" for ObjectNone, "other"
// for ObjectOther).
func (o DDLObject) String() string {
	switch o {
	case ObjectNone:
		return ""
	case ObjectTable:
		return "TABLE"
	case ObjectIndex:
		return "INDEX"
	case ObjectView:
		return "VIEW"
	case ObjectSequence:
		return "SEQUENCE"
	case ObjectDatabase:
		return "DATABASE"
	case ObjectOther:
		return "other"
	}
	return "DDLObject(" + itoa(uint64(o)) + ")"
}

// stmtLexer reads the tokens of a statement's start: words (compared
// without regard to case), quoted strings and identifiers, and single
// punctuation characters; white space and comments in between are skipped.
type stmtLexer struct {
	s []byte
}

// Token kinds of stmtLexer.next.
const (
	tokEOF    = iota // end of text, or an unterminated comment
	tokWord          // letters, digits, '_' and '$'
	tokQuoted        // a '…', "…" or `…` token
	tokPunct         // any other byte
)

// skip passes white space, comments and the markers of executable
// comments (whose content is statement text).
func (l *stmtLexer) skip() bool {
	s := l.s
	for len(s) > 0 {
		switch c := s[0]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			s = s[1:]
		case c == '#' || c == '-' && len(s) >= 3 && s[1] == '-' && (s[2] == ' ' || s[2] == '\t' || s[2] == '\n'):
			i := indexByte(s, '\n')
			if i < 0 {
				l.s = nil
				return false
			}
			s = s[i+1:]
		case c == '/' && len(s) >= 2 && s[1] == '*':
			if len(s) >= 3 && s[2] == '!' || len(s) >= 4 && (s[2] == 'M' || s[2] == 'm') && s[3] == '!' {
				// An executable comment: its content is statement text.
				if s[2] == '!' {
					s = s[3:]
				} else {
					s = s[4:]
				}
				for len(s) > 0 && s[0] >= '0' && s[0] <= '9' {
					s = s[1:]
				}
				continue
			}
			i := indexPair(s[2:], '*', '/')
			if i < 0 {
				l.s = nil
				return false
			}
			s = s[2+i+2:]
		case c == '*' && len(s) >= 2 && s[1] == '/':
			// The end of an executable comment.
			s = s[2:]
		default:
			l.s = s
			return true
		}
	}
	l.s = s
	return false
}

// next returns the next token and its text (for words and punctuation).
func (l *stmtLexer) next() (kind int, text []byte) {
	if !l.skip() {
		return tokEOF, nil
	}
	s := l.s
	switch c := s[0]; {
	case isWordByte(c):
		n := 1
		for n < len(s) && isWordByte(s[n]) {
			n++
		}
		l.s = s[n:]
		return tokWord, s[:n]
	case c == '\'' || c == '"' || c == '`':
		n := 1
		for n < len(s) {
			if s[n] == '\\' && c != '`' {
				n += 2
				continue
			}
			if s[n] == c {
				if n+1 < len(s) && s[n+1] == c { // a doubled quote
					n += 2
					continue
				}
				n++
				break
			}
			n++
		}
		if n > len(s) {
			n = len(s)
		}
		l.s = s[n:]
		return tokQuoted, s[:n]
	default:
		l.s = s[1:]
		return tokPunct, s[:1]
	}
}

// word returns the next token when it is a word, else nil (and consumes
// the token either way).
func (l *stmtLexer) word() []byte {
	if k, w := l.next(); k == tokWord {
		return w
	}
	return nil
}

// peekWord reports whether the next token is the word w (consuming it when
// it is).
func (l *stmtLexer) peekWord(w string) bool {
	save := l.s
	if equalFold(l.word(), w) {
		return true
	}
	l.s = save
	return false
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c >= 0x80
}

func indexByte(s []byte, c byte) int {
	for i, b := range s {
		if b == c {
			return i
		}
	}
	return -1
}

func indexPair(s []byte, a, b byte) int {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == a && s[i+1] == b {
			return i
		}
	}
	return -1
}

// maxSetStatementTokens bounds the tokens read looking for the FOR of
// MariaDB's SET STATEMENT … FOR.
const maxSetStatementTokens = 256

// statement classifies from the current position; depth counts nested
// SET STATEMENT … FOR.
func (l *stmtLexer) statement(depth int) Statement {
	w := l.word()
	switch {
	case w == nil:
		return Statement{}
	case equalFold(w, "BEGIN"):
		if l.peekWord("NOT") { // BEGIN NOT ATOMIC: a compound statement
			return Statement{}
		}
		return Statement{Kind: StatementBegin}
	case equalFold(w, "START"):
		if l.peekWord("TRANSACTION") {
			return Statement{Kind: StatementBegin}
		}
	case equalFold(w, "COMMIT"):
		return Statement{Kind: StatementCommit}
	case equalFold(w, "ROLLBACK"):
		l.peekWord("WORK")
		if l.peekWord("TO") {
			return Statement{Kind: StatementSavepoint}
		}
		return Statement{Kind: StatementRollback}
	case equalFold(w, "SAVEPOINT"):
		return Statement{Kind: StatementSavepoint}
	case equalFold(w, "RELEASE"):
		if l.peekWord("SAVEPOINT") {
			return Statement{Kind: StatementSavepoint}
		}
	case equalFold(w, "XA"):
		v := l.word()
		switch {
		case equalFold(v, "START"), equalFold(v, "BEGIN"):
			return Statement{Kind: StatementBegin, XA: true}
		case equalFold(v, "COMMIT"):
			return Statement{Kind: StatementCommit, XA: true}
		case equalFold(v, "ROLLBACK"):
			return Statement{Kind: StatementRollback, XA: true}
		case equalFold(v, "END"), equalFold(v, "PREPARE"), equalFold(v, "RECOVER"):
			return Statement{Kind: StatementXA, XA: true}
		}
	case equalFold(w, "INSERT"), equalFold(w, "UPDATE"), equalFold(w, "DELETE"), equalFold(w, "REPLACE"),
		equalFold(w, "LOAD"), equalFold(w, "CALL"), equalFold(w, "DO"), equalFold(w, "SELECT"),
		equalFold(w, "WITH"), equalFold(w, "HANDLER"):
		return Statement{Kind: StatementDML}
	case equalFold(w, "SET"):
		if depth < 4 && l.peekWord("STATEMENT") {
			// SET STATEMENT var=value[, …] FOR statement
			for range maxSetStatementTokens {
				k, t := l.next()
				if k == tokEOF {
					break
				}
				if k == tokWord && equalFold(t, "FOR") {
					return l.statement(depth + 1)
				}
			}
		}
	case equalFold(w, "CREATE"):
		return l.ddl(DDLCreate)
	case equalFold(w, "ALTER"):
		return l.ddl(DDLAlter)
	case equalFold(w, "DROP"):
		return l.ddl(DDLDrop)
	case equalFold(w, "RENAME"):
		st := Statement{Kind: StatementDDL, Verb: DDLRename, Object: ObjectOther}
		if o := l.word(); equalFold(o, "TABLE") || equalFold(o, "TABLES") {
			st.Object = ObjectTable
		}
		return st
	case equalFold(w, "TRUNCATE"):
		return Statement{Kind: StatementDDL, Verb: DDLTruncate, Object: ObjectTable}
	}
	return Statement{}
}

// ddl reads the modifiers and the object word after CREATE, ALTER or DROP.
func (l *stmtLexer) ddl(verb DDLVerb) Statement {
	st := Statement{Kind: StatementDDL, Verb: verb, Object: ObjectOther}
	for range 16 {
		k, w := l.next()
		if k != tokWord {
			return st
		}
		switch {
		case equalFold(w, "OR"), equalFold(w, "REPLACE"), equalFold(w, "IGNORE"), equalFold(w, "ONLINE"),
			equalFold(w, "OFFLINE"), equalFold(w, "UNIQUE"), equalFold(w, "FULLTEXT"), equalFold(w, "SPATIAL"),
			equalFold(w, "AGGREGATE"), equalFold(w, "NONBLOCKING"):
			// Modifiers before the object; SPATIAL REFERENCE SYSTEM and
			// the like end as ObjectOther at their next word.
		case equalFold(w, "TEMPORARY"):
			st.Temporary = true
		case equalFold(w, "ALGORITHM"), equalFold(w, "DEFINER"):
			// ALGORITHM = x, DEFINER = user[@host] | CURRENT_USER[()]
			if k, p := l.next(); k != tokPunct || p[0] != '=' {
				return st
			}
			l.definerValue()
		case equalFold(w, "SQL"):
			if !l.peekWord("SECURITY") {
				return st
			}
			l.word() // DEFINER or INVOKER
		case equalFold(w, "TABLE"), equalFold(w, "TABLES"):
			st.Object = ObjectTable
			return st
		case equalFold(w, "INDEX"):
			st.Object = ObjectIndex
			return st
		case equalFold(w, "VIEW"):
			st.Object = ObjectView
			return st
		case equalFold(w, "SEQUENCE"):
			st.Object = ObjectSequence
			return st
		case equalFold(w, "DATABASE"), equalFold(w, "SCHEMA"):
			st.Object = ObjectDatabase
			return st
		default:
			return st
		}
	}
	return st
}

// definerValue consumes a value after "=": a word or quoted token, an
// optional @host, an optional "()".
func (l *stmtLexer) definerValue() {
	if k, _ := l.next(); k != tokWord && k != tokQuoted {
		return
	}
	save := l.s
	switch k, p := l.next(); {
	case k == tokPunct && p[0] == '@':
		l.next()
	case k == tokPunct && p[0] == '(':
		if k, p := l.next(); k != tokPunct || p[0] != ')' {
			l.s = save
		}
	default:
		l.s = save
	}
}
