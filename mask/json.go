package mask

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// looksJSON reports whether s is a JSON object or array (text columns that
// hold JSON, as MariaDB's JSON type does, are masked inside their strings so
// that they stay valid JSON).
func looksJSON(s []byte) bool {
	t := bytes.TrimLeft(s, " \t\r\n")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[') && json.Valid(s)
}

// maskJSONText applies the value rules inside the strings of a valid JSON
// text (member names included) and to numbers that a value pattern matches
// whole (those become JSON strings). It returns nil when nothing changed.
func (m *Masker) maskJSONText(s []byte) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"':
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				return out // not valid JSON: callers check first
			}
			j++
			var str string
			if json.Unmarshal(s[i:j], &str) == nil {
				if nv := m.maskSubstrings([]byte(str), true); nv != nil {
					out = append(out, s[last:i]...)
					out = appendJSONString(out, nv)
					last = j
				}
			}
			i = j
		case c == '-' || c >= '0' && c <= '9':
			j := i + 1
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' || s[j] == 'e' || s[j] == 'E' || s[j] == '+' || s[j] == '-') {
				j++
			}
			if r := m.matchWhole(s[i:j]); r != nil {
				out = append(out, s[last:i]...)
				out = appendJSONString(out, m.maskText(r, s[i:j], true))
				last = j
			}
			i = j
		default:
			i++
		}
	}
	if out == nil {
		return nil
	}
	return append(out, s[last:]...)
}

// appendJSONString appends s as a JSON string literal (no HTML escaping;
// invalid UTF-8 becomes U+FFFD).
func appendJSONString(dst, s []byte) []byte {
	const hexd = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20:
				dst = append(dst, '\\', 'u', '0', '0', hexd[c>>4], hexd[c&15])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, "\ufffd"...)
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}
