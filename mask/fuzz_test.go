package mask

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// FuzzParseRules: ParseRules never panics; a file it accepts yields rules
// that New accepts (given a key) and that re-check cleanly.
func FuzzParseRules(f *testing.F) {
	for _, s := range []string{
		"rules:\n  - column: \"shop.users.phone\"\n    action: redact\n",
		"key: 'k'\nrules:\n  - value: email\n    action: hash\n  -\n    type: json\n    action: fixed\n    replacement: \"{}\"\n",
		"rules:\n  - regex: 'a[0-9]+'\n    action: keep_last\n    keep: 2 # c\n",
		"rules: []\n",
		"rules:\n  - column: \"a\\\"b\"\n    action: redact\n",
		"\ufeff---\nrules:\n- column: x\n  action: redact\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseRules(data)
		if err != nil {
			if cfg != nil {
				t.Fatal("config with an error")
			}
			return
		}
		if len(cfg.Rules) == 0 {
			t.Fatal("accepted a file without rules")
		}
		for i := range cfg.Rules {
			if err := cfg.Rules[i].check(); err != nil {
				t.Fatalf("accepted rule %d fails check: %v", i, err)
			}
			if cfg.Rules[i].Line < 1 {
				t.Fatalf("rule %d without a line", i)
			}
		}
		if _, err := New(cfg, WithKey([]byte("k"))); err != nil {
			t.Fatalf("New rejects parsed rules: %v", err)
		}
	})
}

// FuzzLexLiterals: tokens are in order, inside the text, and do not
// overlap; string tokens start with their quote; masking a statement
// never panics and, when column rules exist, leaves no string literal of
// a DML statement unmasked.
func FuzzLexLiterals(f *testing.F) {
	for _, s := range []string{
		"INSERT INTO t VALUES ('a@example.com', 13812345678, X'4142', 0x41, b'1', \"x\\\"y\")",
		"UPDATE `t``q` SET a='it''s' /* c */ # x\n-- y\nWHERE b=1.5e3",
		"/*!50001 CREATE */ VIEW v AS SELECT 'x'",
		"'unterminated",
		"/* unterminated",
		"SELECT _utf8mb4'x' COLLATE utf8mb4_bin, N'y', .5",
	} {
		f.Add([]byte(s))
	}
	m := mustMasker(f, "rules:\n  - column: password\n    action: redact\n  - value: email\n    action: redact\n")
	v := mustMasker(f, "key: k\nrules:\n  - value: email\n    action: hash\n  - value: phone\n    action: keep_last\n    keep: 2\n")
	f.Fuzz(func(t *testing.T, q []byte) {
		end := 0
		for _, tok := range lexLiterals(q) {
			if tok.Start < end || tok.End <= tok.Start || tok.End > len(q) {
				t.Fatalf("token %+v after %d in %d bytes", tok, end, len(q))
			}
			if tok.Kind == tokString && q[tok.Start] != '\'' && q[tok.Start] != '"' {
				t.Fatalf("string token %q", q[tok.Start:tok.End])
			}
			end = tok.End
		}
		v.maskStatement(q, statementQuery)
		out := m.maskStatement(q, statementAnnotation)
		if out == nil {
			out = q
		}
		orig := map[string]bool{}
		for _, tok := range lexLiterals(q) {
			if tok.Kind == tokString {
				orig[string(q[tok.Start:tok.End])] = true
			}
		}
		for _, tok := range lexLiterals(out) {
			if tok.Kind == tokString && !bytes.Equal(out[tok.Start:tok.End], []byte("'***'")) {
				// A literal left in the masked text must be one we wrote,
				// or text the first lexing saw as something else (an
				// identifier's quote, a comment).
				if orig[string(out[tok.Start:tok.End])] {
					t.Fatalf("literal %q survived in %q", out[tok.Start:tok.End], out)
				}
			}
		}
	})
}

// FuzzMaskText: masking text with the built-in patterns never panics, finds
// nothing more to mask in its own output (with redact, no sensitive match
// survives), keeps JSON valid, and keep_last keeps the UTF-8 validity and
// length in characters.
func FuzzMaskText(f *testing.F) {
	for _, s := range []string{
		"call 13812345678 or +86 139-0000-1111, mail bob.li@example.net",
		"id 11010519491231002X card 4111 1111 1111 1111",
		`{"email": "a@example.com", "n": 13812345678, "k": ["x", "5500-0000-0000-0004"]}`,
		"a@b.cc@d.ee 1381234567813812345678",
		"张三 13812345678",
	} {
		f.Add([]byte(s))
	}
	m := mustMasker(f, "rules:\n  - value: cn_id\n    action: redact\n  - value: card\n    action: redact\n  - value: email\n    action: redact\n  - value: phone\n    action: redact\n")
	f.Fuzz(func(t *testing.T, s []byte) {
		out := m.maskSubstrings(s, true)
		if out != nil {
			if again := m.maskSubstrings(out, true); again != nil {
				t.Fatalf("%q masked to %q, which masks again to %q", s, out, again)
			}
		}
		if json.Valid(s) {
			if out := m.maskJSONText(s); out != nil && !json.Valid(out) {
				t.Fatalf("JSON %q masked to invalid %q", s, out)
			}
		}
		if utf8.Valid(s) {
			k := keepLast(s, 3, true)
			if !utf8.Valid(k) || utf8.RuneCount(k) != utf8.RuneCount(s) {
				t.Fatalf("keepLast(%q) = %q", s, k)
			}
		}
	})
}
