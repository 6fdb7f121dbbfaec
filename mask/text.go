package mask

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"unicode/utf8"
)

// redactText is what Redact writes for a text value or substring.
const redactText = "***"

// hashTextLen is the number of hex digits of a text hash: 64 bits, plenty to
// keep distinct values distinct in a join.
const hashTextLen = 16

// sum returns HMAC-SHA256(key, b).
func (m *Masker) sum(b []byte) [32]byte {
	if m.mac == nil {
		m.mac = hmac.New(sha256.New, m.key)
	}
	m.mac.Reset()
	m.mac.Write(b)
	var out [32]byte
	m.mac.Sum(out[:0])
	return out
}

// hash64 returns the first 8 bytes of the keyed hash of b as a number.
func (m *Masker) hash64(b []byte) uint64 {
	s := m.sum(b)
	return binary.BigEndian.Uint64(s[:8])
}

// hashText returns the hex text hash of b.
func (m *Masker) hashText(b []byte) []byte {
	s := m.sum(b)
	out := make([]byte, hashTextLen)
	hex.Encode(out, s[:hashTextLen/2])
	return out
}

// maskText applies a rule's action to a text (UTF-8 when utf8 is true, else
// one byte per character) and returns the new text.
func (m *Masker) maskText(r *Rule, s []byte, isUTF8 bool) []byte {
	switch r.Action {
	case Redact:
		return []byte(redactText)
	case Fixed:
		return []byte(r.Replacement)
	case Hash:
		return m.hashText(s)
	case KeepLast:
		return keepLast(s, r.Keep, isUTF8)
	}
	return []byte(redactText)
}

// keepLast replaces every character but the last n with '*'. Separators
// of the value's layout (space, '-', '.', '@', '+', '(' and ')') are kept
// where they are, so "138-1234-5678" becomes "***-****-5678". Invalid UTF-8
// counts byte by byte.
func keepLast(s []byte, n int, isUTF8 bool) []byte {
	// Count the characters that are not separators.
	total := 0
	for i := 0; i < len(s); {
		size := 1
		if isUTF8 {
			_, size = utf8.DecodeRune(s[i:])
		}
		if !isSep(s[i]) {
			total++
		}
		i += size
	}
	out := make([]byte, 0, len(s))
	seen := 0
	for i := 0; i < len(s); {
		size := 1
		if isUTF8 {
			_, size = utf8.DecodeRune(s[i:])
		}
		switch {
		case isSep(s[i]):
			out = append(out, s[i])
		case total-seen <= n:
			out = append(out, s[i:i+size]...)
			seen++
		default:
			out = append(out, '*')
			seen++
		}
		i += size
	}
	return out
}

func isSep(c byte) bool {
	switch c {
	case ' ', '-', '.', '@', '+', '(', ')':
		return true
	}
	return false
}

// cutUTF8 cuts s to at most n bytes without splitting a UTF-8 character
// (when isUTF8).
func cutUTF8(s []byte, n int, isUTF8 bool) []byte {
	if len(s) <= n {
		return s
	}
	if n < 0 {
		n = 0
	}
	if isUTF8 {
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
	}
	return s[:n]
}

// maskSubstrings applies the value rules to s: each rule's matches that do
// not overlap an earlier rule's are replaced by the rule's action. It
// returns nil when nothing matched.
//
// A match that a neighbouring match hid (an address whose end touches a
// phone number) shows once its neighbour is masked, so masking repeats
// until nothing more matches (a few passes at most).
func (m *Masker) maskSubstrings(s []byte, isUTF8 bool) []byte {
	var out []byte
	for pass := 0; pass < 4; pass++ {
		next := m.maskOnce(s, isUTF8)
		if next == nil {
			break
		}
		out, s = next, next
	}
	return out
}

// maskOnce is one pass of maskSubstrings.
func (m *Masker) maskOnce(s []byte, isUTF8 bool) []byte {
	if len(m.valRules) == 0 || len(s) == 0 {
		return nil
	}
	type hit struct {
		a, b int
		r    *Rule
	}
	var hits []hit
	var buf [][2]int
	var claimed []bool // bytes taken by an earlier rule's match
	for i := range m.valRules {
		vr := &m.valRules[i]
		buf = vr.pat.find(buf[:0], s)
		if len(buf) == 0 {
			continue
		}
		if i > 0 && len(hits) > 0 && claimed == nil {
			claimed = make([]bool, len(s))
			for _, h := range hits {
				for k := h.a; k < h.b; k++ {
					claimed[k] = true
				}
			}
		}
	next:
		for _, x := range buf {
			if claimed != nil {
				for k := x[0]; k < x[1]; k++ {
					if claimed[k] {
						continue next
					}
				}
			}
			hits = append(hits, hit{x[0], x[1], vr.rule})
			if claimed != nil {
				for k := x[0]; k < x[1]; k++ {
					claimed[k] = true
				}
			}
		}
	}
	if len(hits) == 0 {
		return nil
	}
	slices.SortFunc(hits, func(x, y hit) int { return x.a - y.a })
	out := make([]byte, 0, len(s)+16*len(hits))
	last := 0
	for _, h := range hits {
		out = append(out, s[last:h.a]...)
		out = append(out, m.maskText(h.r, s[h.a:h.b], isUTF8)...)
		last = h.b
	}
	return append(out, s[last:]...)
}

// matchWhole returns the first value rule whose pattern matches all of s.
func (m *Masker) matchWhole(s []byte) *Rule {
	var buf [][2]int
	for i := range m.valRules {
		vr := &m.valRules[i]
		buf = vr.pat.find(buf[:0], s)
		for _, x := range buf {
			if x[0] == 0 && x[1] == len(s) {
				return vr.rule
			}
		}
	}
	return nil
}
