package sqlgen

import "bytes"

// cutStartTransaction returns a CREATE TABLE … SELECT statement as MySQL
// 8.0.21 and later log it with GTIDs on (an atomic CREATE … SELECT: the
// CREATE TABLE with the clause START TRANSACTION after its column list,
// then the rows events, then the commit) without that clause, and whether
// it had one. The clause is only valid in a binlog applier: replayed by a
// client it leaves the session accepting nothing but BINLOG statements
// (ERROR 3977), so the rows written after it would be refused.
func cutStartTransaction(q []byte) ([]byte, bool) {
	depth := 0
	for i := 0; i < len(q); i++ {
		switch c := q[i]; c {
		case '\'', '"', '`':
			for i++; i < len(q) && q[i] != c; i++ {
				if q[i] == '\\' && c != '`' {
					i++
				}
			}
		case '(':
			depth++
		case ')':
			depth--
			if depth != 0 {
				continue
			}
			rest := q[i+1:]
			trimmed := bytes.TrimLeft(rest, " \t\r\n")
			const clause = "START TRANSACTION"
			if len(trimmed) >= len(clause) && bytes.EqualFold(trimmed[:len(clause)], []byte(clause)) &&
				(len(trimmed) == len(clause) || !isWordByte(trimmed[len(clause)])) {
				out := make([]byte, 0, len(q))
				out = append(out, q[:i+1]...)
				out = append(out, trimmed[len(clause):]...)
				return out, true
			}
			return q, false
		}
	}
	return q, false
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}
