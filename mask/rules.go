package mask

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// Action says what a rule does to the values it matches.
type Action uint8

// Actions. The zero Action is invalid: every rule names one.
const (
	// Redact replaces the value with a constant: "***" for text, 0 or the
	// zero value for numbers and temporal values, JSON null for a JSON
	// column.
	Redact Action = iota + 1
	// Fixed replaces the value with the rule's Replacement.
	Fixed
	// Hash replaces the value with a keyed hash (HMAC-SHA256 with the
	// configuration's key): equal inputs give equal outputs, so masked
	// values stay joinable.
	Hash
	// KeepLast keeps the last Keep characters (or digits) and masks the
	// rest.
	KeepLast
	// Keep leaves the values of the columns it matches as they are (no
	// later column, type or value rule applies to them): an exception
	// before broader rules, such as the key columns of a table a type rule
	// masks.
	Keep
)

var actionNames = [...]string{Redact: "redact", Fixed: "fixed", Hash: "hash", KeepLast: "keep_last", Keep: "keep"}

// String returns the action's name as written in a rules file ("redact",
// "fixed", "hash", "keep_last", "keep"), or a number for an invalid action.
func (a Action) String() string {
	if int(a) < len(actionNames) && actionNames[a] != "" {
		return actionNames[a]
	}
	return "Action(" + strconv.Itoa(int(a)) + ")"
}

// Rule is one masking rule. Exactly one of Column, Type, Value and Regex
// selects what it applies to.
type Rule struct {
	// Line is the line of the rules file the rule starts on (0 when the rule
	// was built in code); errors name it.
	Line int
	// Column is a column name pattern: "db.table.column", "table.column"
	// (any database) or "column" (any table); each part may hold '*'
	// wildcards (any run of characters) and matches case-insensitively.
	Column string
	// Type is a column type name ("varchar", "bigint", "json", …) or a group
	// ("string", "bytes", "integer", "number", "temporal").
	Type string
	// Value is a built-in value pattern: "phone", "email", "cn_id" or
	// "card".
	Value string
	// Regex is a custom value pattern (Go regexp syntax).
	Regex string
	// Action is what the rule does.
	Action Action
	// Replacement is the text Fixed writes.
	Replacement string
	// Keep is the number of trailing characters KeepLast keeps.
	Keep int
}

// Config is a parsed rules file: the rules in order and the hash key.
type Config struct {
	// Key is the HMAC key of Hash rules.
	Key []byte
	// KeyEnv is the environment variable the key was read from, if any
	// (LoadFile and ParseRules resolve it into Key).
	KeyEnv string
	// Rules in file order: the first column/type rule that matches a column
	// wins; value rules then apply in order to the remaining text.
	Rules []Rule
}

// ParseError is an error in a rules file; it names the line.
type ParseError struct {
	File string // "" when parsing bytes
	Line int
	Msg  string
}

// Error returns "mask: FILE:LINE: message".
func (e *ParseError) Error() string {
	if e.File != "" {
		return fmt.Sprintf("mask: %s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("mask: line %d: %s", e.Line, e.Msg)
}

// LoadFile reads and parses a rules file (see ParseRules); errors name the
// file and line.
func LoadFile(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mask: %w", err)
	}
	c, err := ParseRules(data)
	var pe *ParseError
	if errors.As(err, &pe) {
		pe.File = path
	}
	return c, err
}

// ParseRules parses a rules file, a small subset of YAML:
//
//	key: "a secret"              # HMAC key of hash rules, or:
//	key_env: MASK_KEY            # read the key from this environment variable
//	rules:
//	  - column: "shop.users.phone"   # db.table.column, table.column or column; * wildcards
//	    action: redact               # redact | fixed | hash | keep_last | keep
//	  - type: json                   # a column type or group
//	    action: fixed
//	    replacement: "{}"
//	  - value: email                 # phone | email | cn_id | card
//	    action: hash
//	  - regex: "ORD-[0-9]{6}"        # a custom value pattern
//	    action: keep_last
//	    keep: 2
//
// Scalars may be unquoted, 'single-quoted' (” is a quote) or
// "double-quoted" (with \" \\ \n \t escapes); # starts a comment outside
// quotes. Errors are *ParseError values naming the line. A key_env naming
// an unset variable is an error.
func ParseRules(data []byte) (*Config, error) {
	p := &parser{}
	c, err := p.parse(string(data))
	if err != nil {
		return nil, err
	}
	if c.KeyEnv != "" && c.Key == nil {
		v, ok := os.LookupEnv(c.KeyEnv)
		if !ok || v == "" {
			return nil, &ParseError{Line: p.keyLine, Msg: fmt.Sprintf("key_env: environment variable %s is not set", c.KeyEnv)}
		}
		c.Key = []byte(v)
	}
	return c, nil
}

type parser struct {
	keyLine int
}

type yline struct {
	n      int    // 1-based line number
	indent int    // leading spaces
	text   string // without indent and comment, right-trimmed
}

func (p *parser) parse(src string) (*Config, error) {
	var lines []yline
	for i, raw := range strings.Split(src, "\n") {
		n := i + 1
		raw = strings.TrimSuffix(raw, "\r")
		if i == 0 {
			raw = strings.TrimPrefix(raw, "\ufeff")
		}
		ind := 0
		for ind < len(raw) && raw[ind] == ' ' {
			ind++
		}
		if ind < len(raw) && raw[ind] == '\t' {
			return nil, &ParseError{Line: n, Msg: "tab in indentation (use spaces)"}
		}
		text, err := stripComment(raw[ind:])
		if err != nil {
			return nil, &ParseError{Line: n, Msg: err.Error()}
		}
		text = strings.TrimRight(text, " \t")
		if text == "" || text == "---" {
			continue
		}
		lines = append(lines, yline{n: n, indent: ind, text: text})
	}
	c := &Config{}
	seen := map[string]bool{}
	for i := 0; i < len(lines); {
		l := lines[i]
		if l.indent != 0 {
			return nil, &ParseError{Line: l.n, Msg: "unexpected indentation at the top level"}
		}
		k, v, err := splitKey(l.text)
		if err != nil {
			return nil, &ParseError{Line: l.n, Msg: err.Error()}
		}
		if seen[k] {
			return nil, &ParseError{Line: l.n, Msg: fmt.Sprintf("%s: given twice", k)}
		}
		seen[k] = true
		i++
		switch k {
		case "key", "key_env":
			s, err := scalar(v)
			if err != nil {
				return nil, &ParseError{Line: l.n, Msg: k + ": " + err.Error()}
			}
			if s == "" {
				return nil, &ParseError{Line: l.n, Msg: k + ": empty"}
			}
			if seen["key"] && seen["key_env"] {
				return nil, &ParseError{Line: l.n, Msg: "give key or key_env, not both"}
			}
			p.keyLine = l.n
			if k == "key" {
				c.Key = []byte(s)
			} else {
				c.KeyEnv = s
			}
		case "rules":
			if v == "[]" {
				continue
			}
			if v != "" {
				return nil, &ParseError{Line: l.n, Msg: "rules: want a list of rules on the following lines"}
			}
			j := i
			for j < len(lines) && lines[j].indent > 0 || j < len(lines) && strings.HasPrefix(lines[j].text, "- ") || j < len(lines) && lines[j].text == "-" {
				j++
			}
			rules, err := parseRules(lines[i:j])
			if err != nil {
				return nil, err
			}
			c.Rules = rules
			i = j
		default:
			return nil, &ParseError{Line: l.n, Msg: fmt.Sprintf("unknown key %q (want key, key_env or rules)", k)}
		}
	}
	if len(c.Rules) == 0 {
		line := 1
		if len(lines) > 0 {
			line = lines[len(lines)-1].n
		}
		return nil, &ParseError{Line: line, Msg: "no rules"}
	}
	return c, nil
}

// parseRules parses the items of the rules list: "- k: v" starts an item,
// "k: v" lines indented like the first key continue it.
func parseRules(lines []yline) ([]Rule, error) {
	var rules []Rule
	var cur *Rule
	var keys map[string]bool
	itemIndent, keyIndent := -1, -1
	for _, l := range lines {
		text := l.text
		ind := l.indent
		if text == "-" || strings.HasPrefix(text, "- ") {
			if itemIndent < 0 {
				itemIndent = ind
			} else if ind != itemIndent {
				return nil, &ParseError{Line: l.n, Msg: "list item indented differently from the first one"}
			}
			if cur != nil {
				if err := finishRule(cur); err != nil {
					return nil, err
				}
				rules = append(rules, *cur)
			}
			cur = &Rule{Line: l.n}
			keys = map[string]bool{}
			rest := strings.TrimLeft(text[1:], " ")
			keyIndent = ind + (len(text) - len(rest))
			if rest == "" {
				keyIndent = -1 // set by the next line
				continue
			}
			text, ind = rest, keyIndent
		} else {
			if cur == nil {
				return nil, &ParseError{Line: l.n, Msg: "want a list item (\"- column: ...\")"}
			}
			if keyIndent < 0 {
				if ind <= itemIndent {
					return nil, &ParseError{Line: l.n, Msg: "rule keys must be indented under their \"-\""}
				}
				keyIndent = ind
			}
			if ind != keyIndent {
				return nil, &ParseError{Line: l.n, Msg: "rule key indented differently from the rule's first key"}
			}
		}
		k, v, err := splitKey(text)
		if err != nil {
			return nil, &ParseError{Line: l.n, Msg: err.Error()}
		}
		if keys[k] {
			return nil, &ParseError{Line: l.n, Msg: fmt.Sprintf("%s: given twice in one rule", k)}
		}
		keys[k] = true
		s, err := scalar(v)
		if err != nil {
			return nil, &ParseError{Line: l.n, Msg: k + ": " + err.Error()}
		}
		if err := setField(cur, k, s); err != nil {
			return nil, &ParseError{Line: l.n, Msg: err.Error()}
		}
	}
	if cur != nil {
		if err := finishRule(cur); err != nil {
			return nil, err
		}
		rules = append(rules, *cur)
	}
	return rules, nil
}

func setField(r *Rule, k, s string) error {
	switch k {
	case "column":
		if s == "" {
			return errors.New("column: empty pattern")
		}
		r.Column = s
	case "type":
		if s == "" {
			return errors.New("type: empty")
		}
		r.Type = strings.ToLower(s)
	case "value":
		s = strings.ToLower(s)
		if _, ok := builtinPatterns[s]; !ok {
			return fmt.Errorf("value: unknown pattern %q (want phone, email, cn_id or card)", s)
		}
		r.Value = s
	case "regex":
		if s == "" {
			return errors.New("regex: empty")
		}
		r.Regex = s
	case "action":
		switch strings.ToLower(s) {
		case "redact":
			r.Action = Redact
		case "fixed":
			r.Action = Fixed
		case "hash":
			r.Action = Hash
		case "keep_last":
			r.Action = KeepLast
		case "keep":
			r.Action = Keep
		default:
			return fmt.Errorf("action: unknown %q (want redact, fixed, hash, keep_last or keep)", s)
		}
	case "replacement":
		r.Replacement = s
	case "keep":
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 1000 {
			return fmt.Errorf("keep: want a number from 0 to 1000, not %q", s)
		}
		r.Keep = n
	default:
		return fmt.Errorf("unknown rule key %q (want column, type, value, regex, action, replacement or keep)", k)
	}
	return nil
}

// finishRule checks a parsed rule; see Rule.check.
func finishRule(r *Rule) error {
	if err := r.check(); err != nil {
		return &ParseError{Line: r.Line, Msg: err.Error()}
	}
	return nil
}

// check reports a rule that selects nothing or too much, or whose action
// lacks its parameter.
func (r *Rule) check() error {
	n := 0
	for _, s := range []string{r.Column, r.Type, r.Value, r.Regex} {
		if s != "" {
			n++
		}
	}
	if n != 1 {
		return errors.New("a rule needs exactly one of column, type, value or regex")
	}
	if r.Type != "" {
		if _, ok := typeMatchers[r.Type]; !ok {
			return fmt.Errorf("type: unknown column type %q", r.Type)
		}
	}
	if r.Column != "" {
		if parts := strings.Split(r.Column, "."); len(parts) > 3 {
			return fmt.Errorf("column: %q has more than three parts (want db.table.column)", r.Column)
		} else {
			for _, p := range parts {
				if p == "" {
					return fmt.Errorf("column: %q has an empty part", r.Column)
				}
			}
		}
	}
	if r.Regex != "" {
		re, err := regexp.Compile(r.Regex)
		if err != nil {
			return fmt.Errorf("regex: %v", err)
		}
		if re.MatchString("") {
			return fmt.Errorf("regex: %q matches the empty string", r.Regex)
		}
	}
	if r.Value != "" {
		if _, ok := builtinPatterns[r.Value]; !ok {
			return fmt.Errorf("value: unknown pattern %q", r.Value)
		}
	}
	switch r.Action {
	case 0:
		return errors.New("action: missing")
	case Fixed:
	case Keep:
		if r.Value != "" || r.Regex != "" {
			return errors.New("keep: only for column and type rules")
		}
		if r.Replacement != "" {
			return fmt.Errorf("replacement: only for action fixed, not %s", r.Action)
		}
	case Redact, Hash, KeepLast:
		if r.Replacement != "" {
			return fmt.Errorf("replacement: only for action fixed, not %s", r.Action)
		}
	default:
		return fmt.Errorf("action: invalid %d", r.Action)
	}
	if r.Keep != 0 && r.Action != KeepLast {
		return fmt.Errorf("keep: only for action keep_last, not %s", r.Action)
	}
	if r.Action == KeepLast && r.Keep == 0 {
		return errors.New("keep_last needs keep: N (N > 0)")
	}
	return nil
}

// splitKey splits "key: value" (value may be empty). Keys are plain words.
func splitKey(s string) (k, v string, err error) {
	i := strings.IndexByte(s, ':')
	if i <= 0 {
		return "", "", fmt.Errorf("want \"key: value\", got %q", s)
	}
	k = strings.TrimSpace(s[:i])
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return "", "", fmt.Errorf("bad key %q", k)
		}
	}
	v = s[i+1:]
	if v != "" && v[0] != ' ' {
		return "", "", fmt.Errorf("want a space after \"%s:\"", k)
	}
	return strings.ToLower(k), strings.TrimSpace(v), nil
}

// stripComment removes a # comment that is outside quotes; a # starts a
// comment only at the start or after a blank, as in YAML.
func stripComment(s string) (string, error) {
	var q byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q == '"':
			if c == '\\' {
				i++
			} else if c == '"' {
				q = 0
			}
		case q == '\'':
			if c == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					i++
				} else {
					q = 0
				}
			}
		case c == '"' || c == '\'':
			// A quote opens a quoted scalar only at the start of a value.
			if i == 0 || s[i-1] == ' ' {
				q = c
			}
		case c == '#':
			if i == 0 || s[i-1] == ' ' || s[i-1] == '\t' {
				return s[:i], nil
			}
		}
	}
	if q != 0 {
		return "", fmt.Errorf("unterminated %c-quoted string", q)
	}
	return s, nil
}

// scalar decodes a scalar value: quoted or plain.
func scalar(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	switch v[0] {
	case '"':
		var b strings.Builder
		for i := 1; i < len(v); i++ {
			c := v[i]
			switch c {
			case '"':
				if strings.TrimSpace(v[i+1:]) != "" {
					return "", errors.New("text after the closing quote")
				}
				return b.String(), nil
			case '\\':
				i++
				if i >= len(v) {
					return "", errors.New("unterminated \"-quoted string")
				}
				switch v[i] {
				case '"', '\\', '/':
					b.WriteByte(v[i])
				case 'n':
					b.WriteByte('\n')
				case 't':
					b.WriteByte('\t')
				case 'r':
					b.WriteByte('\r')
				case '0':
					b.WriteByte(0)
				default:
					return "", fmt.Errorf("unknown escape \\%c", v[i])
				}
			default:
				b.WriteByte(c)
			}
		}
		return "", errors.New("unterminated \"-quoted string")
	case '\'':
		var b strings.Builder
		for i := 1; i < len(v); i++ {
			if v[i] == '\'' {
				if i+1 < len(v) && v[i+1] == '\'' {
					b.WriteByte('\'')
					i++
					continue
				}
				if strings.TrimSpace(v[i+1:]) != "" {
					return "", errors.New("text after the closing quote")
				}
				return b.String(), nil
			}
			b.WriteByte(v[i])
		}
		return "", errors.New("unterminated '-quoted string")
	case '[', '{', '&', '*', '!', '|', '>', '%', '@', '`':
		return "", fmt.Errorf("unsupported YAML syntax %q (quote the value)", v)
	}
	return v, nil
}
