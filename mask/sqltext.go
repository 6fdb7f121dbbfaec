package mask

import (
	"bytes"
	"encoding/hex"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// tokenKind is the kind of a token lexLiterals reports.
type tokenKind uint8

// token kinds.
const (
	tokString  tokenKind = iota + 1 // '…' or "…" (with an optional _charset or N introducer before it, not included)
	tokNumber                       // 123, 1.5, .5e-3
	tokHex                          // X'…', x'…', 0x…
	tokBit                          // B'…', b'…', 0b…
	tokComment                      // # …, -- …, /* … */ (not /*! … */ version comments, whose text is code)
)

// token is one literal or comment of a statement s: s[Start:End].
type token struct {
	Kind       tokenKind
	Start, End int
}

func isIdentChar(c byte) bool {
	return isAlnum(c) || c == '_' || c == '$' || c >= 0x80
}

// lexLiterals returns the literals and comments of an SQL statement, in
// order: quoted strings (backslash escapes and doubled quotes), numbers,
// hexadecimal and bit literals, and comments. Identifiers (plain or
// `backquoted`) and keywords are skipped. It never fails: an unterminated
// string or comment runs to the end of the text.
func lexLiterals(s []byte) []token {
	return lex(nil, s, false)
}

// tokIdent is an identifier (plain or backquoted, quotes included), which
// only the package's own lexing asks for.
const tokIdent tokenKind = 100

// lex is lexLiterals appending to toks, also reporting identifiers when
// idents is true.
func lex(toks []token, s []byte, idents bool) []token {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\'' || c == '"':
			j := endQuoted(s, i)
			toks = append(toks, token{tokString, i, j})
			i = j
		case c == '`':
			j := i + 1
			for j < len(s) {
				if s[j] == '`' {
					if j+1 < len(s) && s[j+1] == '`' {
						j += 2
						continue
					}
					j++
					break
				}
				j++
			}
			if j > len(s) {
				j = len(s)
			}
			if idents {
				toks = append(toks, token{tokIdent, i, j})
			}
			i = j
		case c == '#' || c == '-' && i+2 < len(s) && s[i+1] == '-' && (s[i+2] == ' ' || s[i+2] == '\t' || s[i+2] == '\n') ||
			c == '-' && i+2 == len(s) && s[i+1] == '-':
			j := bytes.IndexByte(s[i:], '\n')
			if j < 0 {
				j = len(s)
			} else {
				j += i
			}
			toks = append(toks, token{tokComment, i, j})
			i = j
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			if i+2 < len(s) && (s[i+2] == '!' || s[i+2] == 'M' && i+3 < len(s) && s[i+3] == '!') {
				// Version comment: its content is code; skip the opener
				// and its version digits.
				i += 3
				for i < len(s) && isDigit(s[i]) {
					i++
				}
				continue
			}
			j := bytes.Index(s[i+2:], []byte("*/"))
			if j < 0 {
				j = len(s)
			} else {
				j += i + 4
			}
			toks = append(toks, token{tokComment, i, j})
			i = j
		case (c == 'x' || c == 'X' || c == 'b' || c == 'B') && i+1 < len(s) && s[i+1] == '\'' && (i == 0 || !isIdentChar(s[i-1])):
			j := endQuoted(s, i+1)
			k := tokHex
			if c == 'b' || c == 'B' {
				k = tokBit
			}
			toks = append(toks, token{k, i, j})
			i = j
		case isDigit(c) || c == '.' && i+1 < len(s) && isDigit(s[i+1]):
			if i > 0 && isIdentChar(s[i-1]) {
				i++
				continue
			}
			if c == '0' && i+2 < len(s) && (s[i+1] == 'x' || s[i+1] == 'b') {
				j := i + 2
				for j < len(s) && isAlnum(s[j]) {
					j++
				}
				k := tokHex
				if s[i+1] == 'b' {
					k = tokBit
				}
				toks = append(toks, token{k, i, j})
				i = j
				continue
			}
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			if j < len(s) && s[j] == '.' {
				j++
				for j < len(s) && isDigit(s[j]) {
					j++
				}
			}
			if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
				k := j + 1
				if k < len(s) && (s[k] == '+' || s[k] == '-') {
					k++
				}
				if k < len(s) && isDigit(s[k]) {
					for k < len(s) && isDigit(s[k]) {
						k++
					}
					j = k
				}
			}
			if j < len(s) && isIdentChar(s[j]) {
				// 123abc is an identifier.
				for j < len(s) && isIdentChar(s[j]) {
					j++
				}
				if idents {
					toks = append(toks, token{tokIdent, i, j})
				}
				i = j
				continue
			}
			toks = append(toks, token{tokNumber, i, j})
			i = j
		case isIdentChar(c):
			j := i
			for j < len(s) && isIdentChar(s[j]) {
				j++
			}
			if idents {
				toks = append(toks, token{tokIdent, i, j})
			}
			i = j
		default:
			i++
		}
	}
	return toks
}

// endQuoted returns the end of the quoted literal starting at s[i].
func endQuoted(s []byte, i int) int {
	q := s[i]
	j := i + 1
	for j < len(s) {
		switch s[j] {
		case '\\':
			j += 2
			continue
		case q:
			if j+1 < len(s) && s[j+1] == q {
				j += 2
				continue
			}
			return j + 1
		}
		j++
	}
	return len(s)
}

// unquote returns the content of a quoted literal (escapes resolved as
// MySQL does with backslash escapes on).
func unquote(dst, lit []byte) []byte {
	if len(lit) < 2 {
		return dst
	}
	q := lit[0]
	body := lit[1:]
	if body[len(body)-1] == q {
		body = body[:len(body)-1]
	}
	out := dst
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == '\\' && i+1 < len(body) {
			i++
			switch body[i] {
			case 'n':
				out = append(out, '\n')
			case 't':
				out = append(out, '\t')
			case 'r':
				out = append(out, '\r')
			case '0':
				out = append(out, 0)
			case 'Z':
				out = append(out, 26)
			case 'b':
				out = append(out, '\b')
			default:
				out = append(out, body[i])
			}
			continue
		}
		if c == q && i+1 < len(body) && body[i+1] == q {
			i++
		}
		out = append(out, c)
	}
	return out
}

type statementKind uint8

const (
	statementQuery      statementKind = iota // a QUERY event: DML or DDL
	statementAnnotation                      // ANNOTATE_ROWS / ROWS_QUERY: the text behind rows events
)

func asciiEqualFold(b []byte, s string) bool {
	for i := range b {
		c := b[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

var dmlKeywords = []string{"INSERT", "REPLACE", "UPDATE", "DELETE", "SELECT", "WITH", "CALL", "DO", "LOAD", "VALUES", "SET", "EXECUTE", "PREPARE", "TABLE", "HANDLER"}

// isDML reports whether a statement changes or reads rows (its literals are
// values), judged by its first keyword.
func isDML(s []byte) bool {
	i := 0
	for i < len(s) {
		switch {
		case s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '(':
			i++
			continue
		case s[i] == '/' && i+1 < len(s) && s[i+1] == '*':
			j := bytes.Index(s[i+2:], []byte("*/"))
			if j < 0 {
				return false
			}
			i += j + 4
			continue
		case s[i] == '#' || s[i] == '-' && i+1 < len(s) && s[i+1] == '-':
			j := bytes.IndexByte(s[i:], '\n')
			if j < 0 {
				return false
			}
			i += j + 1
			continue
		}
		break
	}
	j := i
	for j < len(s) && isAlnum(s[j]) {
		j++
	}
	w := s[i:j]
	for _, kw := range dmlKeywords {
		if len(w) == len(kw) && asciiEqualFold(w, kw) {
			return true
		}
	}
	// CREATE TABLE … SELECT writes rows from its literals.
	if len(w) == 6 && asciiEqualFold(w, "CREATE") {
		for k := j; k+6 <= len(s); k++ {
			if asciiEqualFold(s[k:k+6], "SELECT") && !isIdentChar(s[k-1]) && (k+6 == len(s) || !isIdentChar(s[k+6])) {
				return true
			}
		}
	}
	return false
}

// maskStatement masks the literals of a statement and returns the new
// text, or nil when nothing changed.
//
// Value rules apply inside every string literal and comment, and to number
// and hexadecimal literals they match. When the Masker has column or type
// rules, every literal of a DML statement (INSERT, UPDATE, DELETE, REPLACE,
// SELECT, …) and of every ANNOTATE_ROWS/ROWS_QUERY text is replaced —
// strings by '***', numbers by 0, hexadecimal and bit literals by an empty X literal —
// because a literal cannot be tied to its column without parsing the
// statement against the schema. DDL keeps its literals (defaults, comments)
// apart from value-rule matches.
func (m *Masker) maskStatement(q []byte, kind statementKind) []byte {
	if !m.strict && len(m.valRules) == 0 {
		return nil
	}
	toks := lex(m.toks[:0], q, m.strict)
	m.toks = toks
	strict := m.strict && (kind == statementAnnotation || isDML(q)) && m.mayTouch(q, toks)
	if !strict && len(m.valRules) == 0 {
		return nil
	}
	var out []byte
	last := 0
	replace := func(t token, with []byte) {
		out = append(out, q[last:t.Start]...)
		out = append(out, with...)
		last = t.End
	}
	for _, t := range toks {
		lit := q[t.Start:t.End]
		switch t.Kind {
		case tokIdent:
		case tokString:
			if strict {
				replace(t, []byte("'"+redactText+"'"))
				continue
			}
			if len(m.valRules) == 0 {
				continue
			}
			m.unq = unquote(m.unq[:0], lit)
			if nv := m.maskSubstrings(m.unq, true); nv != nil {
				replace(t, rowcodec.AppendQuotedString(nil, nv))
			}
		case tokNumber:
			if strict {
				replace(t, []byte("0"))
				continue
			}
			if kind == statementAnnotation || isDML(q) {
				if r := m.matchWhole(lit); r != nil {
					replace(t, rowcodec.AppendQuotedString(nil, m.maskText(r, lit, true)))
				}
			}
		case tokHex, tokBit:
			if strict {
				replace(t, []byte("X''"))
				continue
			}
			if t.Kind == tokHex {
				var digits []byte
				if lit[0] == '0' {
					digits = lit[2:]
				} else {
					digits = bytes.Trim(lit[1:], "'")
				}
				raw := make([]byte, hex.DecodedLen(len(digits)))
				if _, err := hex.Decode(raw, digits); err == nil {
					if nv := m.maskSubstrings(raw, true); nv != nil {
						replace(t, []byte("X'"+hex.EncodeToString(nv)+"'"))
					}
				}
			}
		case tokComment:
			// Mask the comment's text, keeping its delimiters; a mask
			// never ends the comment early.
			open, body, close := commentParts(lit)
			if nv := m.maskSubstrings(body, true); nv != nil {
				if open == "/*" {
					nv = bytes.ReplaceAll(nv, []byte("*/"), []byte("* /"))
				} else {
					nv = bytes.ReplaceAll(nv, []byte("\n"), []byte(" "))
				}
				replace(t, append(append([]byte(open), nv...), close...))
			}
		}
	}
	if out == nil {
		return nil
	}
	return append(out, q[last:]...)
}

// mayTouch reports whether a statement may write a column that a column or
// type rule masks: a type rule or a column rule without a table part
// applies to every statement, a column rule with one to statements that
// name a matching table.
func (m *Masker) mayTouch(q []byte, toks []token) bool {
	for i := range m.colRules {
		cr := &m.colRules[i]
		if cr.rule.Action == Keep {
			continue
		}
		if cr.typ != nil || !cr.hasTable {
			return true
		}
		for _, t := range toks {
			if t.Kind != tokIdent {
				continue
			}
			name := q[t.Start:t.End]
			if name[0] == '`' {
				name = bytes.Trim(name, "`")
				if bytes.Contains(name, []byte("``")) {
					m.ident = m.ident[:0]
					for k := 0; k < len(name); k++ {
						m.ident = append(m.ident, name[k])
						if name[k] == '`' {
							k++
						}
					}
					name = m.ident
				}
			}
			if globMatchFold(cr.table, name) {
				return true
			}
		}
	}
	return false
}

// applyUserVar masks the value of a USER_VAR event (statement-format
// replication passes @variables this way): value rules on string values
// and, when column or type rules exist, every value (strings become "***",
// numbers 0).
func (m *Masker) applyUserVar(ev *event.Event, b *event.UserVar) (*event.Event, error) {
	if b.IsNull {
		return ev, nil
	}
	var nv []byte
	switch b.Type {
	case event.UserVarString:
		if m.strict {
			nv = []byte(redactText)
		} else {
			nv = m.maskSubstrings(b.Value, true)
		}
	case event.UserVarInt, event.UserVarReal:
		if m.strict {
			nv = make([]byte, 8)
		}
	case event.UserVarDecimal:
		if p, s, _, ok := b.Decimal(); ok && m.strict {
			z, err := rowcodec.DecimalValue("0", int(p), int(s))
			if err == nil {
				nv = append([]byte{p, s}, z.Bytes()...)
			}
		}
	}
	if nv == nil || bytes.Equal(nv, b.Value) {
		return ev, nil
	}
	u := *b
	u.Value = nv
	return rebuild(ev, &u)
}

// commentParts splits a comment token into its opener, text and closer.
func commentParts(lit []byte) (open string, body []byte, close string) {
	if len(lit) >= 2 && lit[0] == '/' && lit[1] == '*' {
		body = lit[2:]
		if len(body) >= 2 && bytes.HasSuffix(body, []byte("*/")) {
			return "/*", body[:len(body)-2], "*/"
		}
		return "/*", body, ""
	}
	return "", lit, ""
}
