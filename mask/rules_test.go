package mask

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseRules(t *testing.T) {
	cfg, err := ParseRules([]byte(`# masking rules
key: 'it''s secret'   # a comment
rules:
  - column: "shop.users.phone"      # db.table.column
    action: redact
  - value: email
    action: HASH
  -
    type: varchar
    action: fixed
    replacement: "a \"b\" # not a comment"
  - regex: 'x#y'
    action: keep_last
    keep: 3
`))
	if err != nil {
		t.Fatal(err)
	}
	if string(cfg.Key) != "it's secret" {
		t.Errorf("key %q", cfg.Key)
	}
	want := []Rule{
		{Line: 4, Column: "shop.users.phone", Action: Redact},
		{Line: 6, Value: "email", Action: Hash},
		{Line: 8, Type: "varchar", Action: Fixed, Replacement: `a "b" # not a comment`},
		{Line: 12, Regex: "x#y", Action: KeepLast, Keep: 3},
	}
	if len(cfg.Rules) != len(want) {
		t.Fatalf("%d rules: %+v", len(cfg.Rules), cfg.Rules)
	}
	for i := range want {
		if cfg.Rules[i] != want[i] {
			t.Errorf("rule %d: got %+v, want %+v", i, cfg.Rules[i], want[i])
		}
	}
}

func TestParseRulesErrors(t *testing.T) {
	for _, c := range []struct {
		src  string
		line int
		msg  string
	}{
		{"rules:\n  - column: a\n", 2, "action: missing"},
		{"rules:\n  - column: a\n    action: shred\n", 3, "unknown \"shred\""},
		{"rules:\n  - column: a\n    value: email\n    action: redact\n", 2, "exactly one"},
		{"rules:\n  - value: ssn\n    action: redact\n", 2, "unknown pattern"},
		{"rules:\n  - type: varchr\n    action: redact\n", 2, "unknown column type"},
		{"rules:\n  - column: a.b.c.d\n    action: redact\n", 2, "more than three"},
		{"rules:\n  - column: a..c\n    action: redact\n", 2, "empty part"},
		{"rules:\n  - regex: \"(\"\n    action: redact\n", 2, "regex"},
		{"rules:\n  - regex: \"a*\"\n    action: redact\n", 2, "empty string"},
		{"rules:\n  - column: a\n    action: keep_last\n", 2, "keep: N"},
		{"rules:\n  - column: a\n    action: redact\n    keep: 2\n", 2, "only for action keep_last"},
		{"rules:\n  - column: a\n    action: hash\n    replacement: x\n", 2, "only for action fixed"},
		{"rules:\n  - column: a\n    action: keep_last\n    keep: many\n", 4, "want a number"},
		{"rules:\n  - column: a\n    action: redact\n    colour: red\n", 4, "unknown rule key"},
		{"rules:\n  - column: a\n    action: redact\n    action: hash\n", 4, "twice"},
		{"rules:\n  - column: \"a\n    action: redact\n", 2, "unterminated"},
		{"rules:\n  - column: *.a\n    action: redact\n", 2, "quote the value"},
		{"rulez:\n  - column: a\n", 1, "unknown key"},
		{"rules:\n  - column: a\n     action: redact\n", 3, "indented differently"},
		{"rules:\n\t- column: a\n", 2, "tab"},
		{"key: a\nkey_env: B\nrules:\n  - column: a\n    action: redact\n", 2, "not both"},
		{"# nothing\n", 1, "no rules"},
		{"rules:\n  column: a\n", 2, "list item"},
		{"rules:\n  - column:a\n", 2, "space after"},
		{"key_env: BINLOGKIT_MASK_TEST_UNSET\nrules:\n  - column: a\n    action: redact\n", 1, "not set"},
	} {
		_, err := ParseRules([]byte(c.src))
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: err %v, want a *ParseError", c.src, err)
			continue
		}
		if pe.Line != c.line || !strings.Contains(pe.Msg, c.msg) {
			t.Errorf("%q: got line %d %q, want line %d containing %q", c.src, pe.Line, pe.Msg, c.line, c.msg)
		}
	}
}

func TestLoadFileAndKeyEnv(t *testing.T) {
	p := filepath.Join(t.TempDir(), "rules.yaml")
	os.WriteFile(p, []byte("key_env: BINLOGKIT_MASK_TEST_KEY\nrules:\n  - value: email\n    action: hash\n"), 0o600)
	t.Setenv("BINLOGKIT_MASK_TEST_KEY", "from env")
	cfg, err := LoadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(cfg.Key) != "from env" || cfg.KeyEnv != "BINLOGKIT_MASK_TEST_KEY" {
		t.Errorf("key %q env %q", cfg.Key, cfg.KeyEnv)
	}
	os.WriteFile(p, []byte("rules:\n  - value: emial\n    action: hash\n"), 0o600)
	_, err = LoadFile(p)
	if err == nil || !strings.Contains(err.Error(), p+":2:") {
		t.Errorf("err %v, want file and line", err)
	}
}

func TestActionString(t *testing.T) {
	for a, s := range map[Action]string{Redact: "redact", Fixed: "fixed", Hash: "hash", KeepLast: "keep_last", 9: "Action(9)"} {
		if a.String() != s {
			t.Errorf("%d: %q", a, a.String())
		}
	}
}
