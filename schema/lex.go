package schema

import (
	"strings"

	"github.com/binlogkit/binlogkit/event"
)

// This file is the small SQL lexer used before (and instead of) the TiDB
// parser: the keyword check that lets non-DDL statements through without a
// parse (ddlParses, on event.ClassifyStatement), the statement splitter of schema files
// (ddlSplitStatements), and the tokens that the rewriting of MariaDB syntax
// the TiDB parser cannot read works on (rewrite.go).

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

// ddlParses reports whether a statement may change a table's columns, keys
// or name, from its leading keywords as event.ClassifyStatement reads them:
// CREATE, ALTER, DROP and RENAME of tables, CREATE and DROP of indexes,
// databases and sequences. Everything else is ignored without a parse: DML,
// transaction control, SET, XA, GRANT, TRUNCATE (rows go, the schema
// stays), ALTER DATABASE and ALTER SEQUENCE (columns stay), and the DDL of
// objects that hold no rows (views, triggers, routines, events, users).
func ddlParses(sql string) bool {
	return ddlParsesStatement(event.ClassifyStatement([]byte(sql)))
}

func ddlParsesStatement(st event.Statement) bool {
	if st.Kind != event.StatementDDL {
		return false
	}
	switch st.Object {
	case event.ObjectTable:
		return st.Verb != event.DDLTruncate
	case event.ObjectIndex:
		return true
	case event.ObjectDatabase, event.ObjectSequence:
		return st.Verb == event.DDLCreate || st.Verb == event.DDLDrop
	}
	return false
}

// ddlStripSetStatement returns the statement of MariaDB's
// "SET STATEMENT var=value[, …] FOR statement" (which the TiDB parser does
// not know), or sql itself.
func ddlStripSetStatement(sql string) string {
	w := ddlFirstWords(sql, 2)
	if len(w) < 2 || w[0] != "SET" || w[1] != "STATEMENT" {
		return sql
	}
	l := ddlLexer{s: sql}
	for {
		t, ok := l.next()
		if !ok {
			return sql
		}
		if t.kind == ddlTokWord && strings.EqualFold(sql[t.start:t.end], "FOR") {
			return sql[t.end:]
		}
	}
}

// ddlUnquoteIdent removes the backticks of `name`, undoubling inner ones.
func ddlUnquoteIdent(s string) string {
	if len(s) >= 2 && s[0] == '`' && s[len(s)-1] == '`' {
		s = s[1 : len(s)-1]
	}
	return strings.ReplaceAll(s, "``", "`")
}

// ddlSplitStatements calls fn with each statement of a SQL script and the
// line it starts on. It knows quotes, comments, version comments and the
// client's DELIMITER command (a line of its own); a statement runs up to
// the current delimiter or the end of the script.
func ddlSplitStatements(s string, fn func(line int, stmt string) error) error {
	delim := ";"
	line := 1
	start, startLine := 0, 1
	atLineStart := true
	flush := func(end int) error {
		// The statement starts at its first token, after comments.
		l := ddlLexer{s: s[start:end]}
		t, ok := l.next()
		if !ok {
			return nil
		}
		stmt := strings.TrimSpace(s[start+t.start : end])
		if stmt != "" {
			if err := fn(startLine+strings.Count(s[start:start+t.start], "\n"), stmt); err != nil {
				return err
			}
		}
		return nil
	}
	i := 0
	for i < len(s) {
		c := s[i]
		if atLineStart {
			// DELIMITER is a client command on a line of its own; it ends
			// the statement before it.
			j := i
			for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
				j++
			}
			if len(s)-j >= 10 && strings.EqualFold(s[j:j+9], "DELIMITER") && (s[j+9] == ' ' || s[j+9] == '\t') {
				end := strings.IndexByte(s[j:], '\n')
				if end < 0 {
					end = len(s) - j
				}
				if err := flush(i); err != nil {
					return err
				}
				if d := strings.TrimSpace(s[j+10 : j+end]); d != "" {
					delim = d
				}
				i = j + end
				start, startLine = i, line
				continue
			}
			atLineStart = false
		}
		switch {
		case c == '\n':
			line++
			atLineStart = true
			i++
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			for j < len(s) {
				if s[j] == '\\' && c != '`' {
					j += 2
					continue
				}
				if s[j] == c {
					if j+1 < len(s) && s[j+1] == c {
						j += 2
						continue
					}
					break
				}
				j++
			}
			j = min(j+1, len(s))
			line += strings.Count(s[i:j], "\n")
			i = j
		case c == '#' || c == '-' && strings.HasPrefix(s[i:], "--") && (i+2 == len(s) || s[i+2] <= ' '):
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				j = len(s) - i
			}
			i += j // the newline is counted by the loop
		case c == '/' && strings.HasPrefix(s[i:], "/*") && !ddlIsVersionComment(s[i:]):
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				j = len(s)
			} else {
				j = i + 2 + j + 2
			}
			line += strings.Count(s[i:j], "\n")
			i = j
		case strings.HasPrefix(s[i:], delim):
			if err := flush(i); err != nil {
				return err
			}
			i += len(delim)
			start, startLine = i, line
		default:
			i++
		}
	}
	return flush(len(s))
}

// ddlIsVersionComment reports whether s starts with /*!NNNNN or /*M!NNNNN
// holding SQL (not "/*M!999999\- …", a client command).
func ddlIsVersionComment(s string) bool {
	j := 2
	if strings.HasPrefix(s[j:], "M!") {
		j++
	}
	if j >= len(s) || s[j] != '!' {
		return false
	}
	j++
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	return j >= len(s) || s[j] != '\\'
}
