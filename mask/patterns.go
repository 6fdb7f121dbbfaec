package mask

import (
	"bytes"
	"regexp"
)

// A valuePattern finds the sensitive substrings of a text.
type valuePattern struct {
	re *regexp.Regexp
	// digitBounded: a match must not touch a digit (or a letter, for
	// alphanumeric patterns) on either side.
	bounded func(b byte) bool
	// valid checks a candidate match (check digits); nil accepts all.
	valid func(m []byte) bool
	// pre is a cheap test that s may hold a match; nil: always run re.
	pre func(s []byte) bool
	// sepCut: a rejected match is tried again cut at its separators; full
	// is re anchored at both ends, for those tries.
	sepCut bool
	full   *regexp.Regexp
}

// anchored returns re matching whole texts only.
func anchored(re *regexp.Regexp) *regexp.Regexp {
	return regexp.MustCompile(`^(?:` + re.String() + `)$`)
}

func init() {
	for _, name := range []string{"phone", "card"} {
		p := builtinPatterns[name]
		p.sepCut, p.full = true, anchored(p.re)
	}
}

// hasDigits reports whether s holds at least n digits.
func hasDigits(n int) func(s []byte) bool {
	return func(s []byte) bool {
		k := 0
		for _, c := range s {
			if isDigit(c) {
				if k++; k >= n {
					return true
				}
			}
		}
		return false
	}
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func isAlnum(b byte) bool {
	return isDigit(b) || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

func isEmailChar(b byte) bool {
	return isAlnum(b) || b == '.' || b == '_' || b == '%' || b == '+' || b == '-'
}

// builtinPatterns are the value patterns a rule names with "value:".
var builtinPatterns = map[string]*valuePattern{
	// Chinese mobile numbers (11 digits starting 13–19, optionally +86 or
	// 86 in front, optional separators 3-4-4) and international numbers
	// written with a leading + and 7–15 digits in groups.
	"phone": {
		re:      regexp.MustCompile(`(?:(?:\+|00)?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}|\+[1-9][0-9]{0,3}(?:[ -]?\(?[0-9]{1,4}\)?){1,2}(?:[ -]?[0-9]{2,4}){1,4}`),
		bounded: isDigit,
		valid:   validPhone,
		pre:     hasDigits(8),
	},
	"email": {
		re:      regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}`),
		bounded: isEmailChar,
		pre:     func(s []byte) bool { return bytes.IndexByte(s, '@') >= 0 },
	},
	// 18-character resident identity numbers: 17 digits and a check
	// character (0–9 or X) that must agree with ISO 7064 MOD 11-2.
	"cn_id": {
		re:      regexp.MustCompile(`[1-9][0-9]{16}[0-9Xx]`),
		bounded: isAlnum,
		valid:   validCNID,
		pre:     hasDigits(17),
	},
	// Payment card numbers: 13–19 digits, optionally in groups separated by
	// single spaces or dashes, passing the Luhn check.
	"card": {
		re:      regexp.MustCompile(`[0-9](?:[ -]?[0-9]){12,18}`),
		bounded: isDigit,
		valid:   validCard,
		pre:     hasDigits(13),
	},
}

// find appends the [start, end) ranges of the pattern's matches in s.
func (p *valuePattern) find(dst [][2]int, s []byte) [][2]int {
	if p.pre != nil && !p.pre(s) {
		return dst
	}
	for _, m := range p.re.FindAllIndex(s, -1) {
		a, b := m[0], m[1]
		if p.bounded != nil && a > 0 && p.bounded(s[a-1]) {
			continue
		}
		if p.ok(s, a, b) {
			dst = append(dst, [2]int{a, b})
			continue
		}
		// The greedy match may have run into a neighbour ("4111 1111 1111
		// 1111 2"): try it cut at each separator, longest first.
		if p.sepCut {
			for k := b - 1; k > a; k-- {
				if (s[k] == ' ' || s[k] == '-') && p.full.Match(s[a:k]) && p.ok(s, a, k) {
					dst = append(dst, [2]int{a, k})
					break
				}
			}
		}
	}
	return dst
}

// ok checks the right boundary and the validation of the match s[a:b].
func (p *valuePattern) ok(s []byte, a, b int) bool {
	if p.bounded != nil && b < len(s) && p.bounded(s[b]) {
		return false
	}
	return p.valid == nil || p.valid(s[a:b])
}

func digitsOf(m []byte) []byte {
	d := make([]byte, 0, len(m))
	for _, c := range m {
		if isDigit(c) || c == 'X' || c == 'x' {
			d = append(d, c)
		}
	}
	return d
}

func validPhone(m []byte) bool {
	n := 0
	for _, c := range m {
		if isDigit(c) {
			n++
		}
	}
	return n >= 8 && n <= 15
}

// validCNID checks the ISO 7064 MOD 11-2 check character of an 18-character
// resident identity number.
func validCNID(m []byte) bool {
	if len(m) != 18 {
		return false
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(m[i]-'0') * w
	}
	check := "10X98765432"[sum%11]
	c := m[17]
	if c == 'x' {
		c = 'X'
	}
	return c == check
}

// validCard runs the Luhn check over the digits of m.
func validCard(m []byte) bool {
	d := digitsOf(m)
	if len(d) < 13 || len(d) > 19 {
		return false
	}
	sum := 0
	for i := 0; i < len(d); i++ {
		x := int(d[len(d)-1-i] - '0')
		if i%2 == 1 {
			x *= 2
			if x > 9 {
				x -= 9
			}
		}
		sum += x
	}
	return sum%10 == 0
}
