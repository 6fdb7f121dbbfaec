package sqlgen

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// classifyQueryReference is classifyQuery before it read words lazily and
// answered BEGIN/COMMIT first (with bytes.TrimLeft in nextWord then).
func classifyQueryReference(s []byte) int {
	var words [6]string
	n := 0
	for n < len(words) {
		var w string
		w, s = nextWord(s)
		if w == "" {
			break
		}
		words[n] = w
		n++
	}
	if n == 0 {
		return stmtOther
	}
	switch words[0] {
	case "BEGIN", "START":
		return stmtBegin
	case "XA":
		return stmtXA
	case "COMMIT", "ROLLBACK":
		return stmtEnd
	case "TRUNCATE":
		return stmtDDL
	case "RENAME":
		if words[1] == "TABLE" {
			return stmtDDL
		}
		return stmtOther
	case "CREATE", "ALTER", "DROP":
	default:
		return stmtOther
	}
	for _, w := range words[1:n] {
		switch w {
		case "OR", "REPLACE", "TEMPORARY", "IGNORE", "ONLINE", "OFFLINE", "UNIQUE", "FULLTEXT", "SPATIAL":
			continue
		case "TABLE", "INDEX", "VIEW", "SEQUENCE":
			return stmtDDL
		case "DATABASE", "SCHEMA":
			return stmtDBDDL
		}
		return stmtOther
	}
	return stmtOther
}

// TestClassifyQueryMatchesReference compares classifyQuery with the
// reference on random statements built from the keywords, other words,
// white space, comments and junk.
func TestClassifyQueryMatchesReference(t *testing.T) {
	parts := append(keywords[:], "x", "t1", "IF", "NOT", "EXISTS", "begin", "Create", "table", "work", "USER",
		"PROCEDURE", "TRIGGER", "aVeryLongIdentifierOfManyLetters", "`db`", ".", ";", "(", "1", "'BEGIN'")
	seps := []string{" ", "  ", "\t", "\n", "\r\n", "/* c */", "/*!40000 TABLE */", "# note\n", "-- note\n", "--x", "/* open", "", "#"}
	r := rand.New(rand.NewPCG(8, 9))
	for i := range 300000 {
		var sb strings.Builder
		if r.IntN(3) == 0 {
			sb.WriteString(seps[r.IntN(len(seps))])
		}
		for range r.IntN(9) {
			sb.WriteString(parts[r.IntN(len(parts))])
			sb.WriteString(seps[r.IntN(len(seps))])
		}
		q := []byte(sb.String())
		if r.IntN(2) == 0 {
			q = bytes.TrimSpace(q) // as appendQuery passes it
		}
		if got, want := classifyQuery(q), classifyQueryReference(q); got != want {
			t.Fatalf("%d: classifyQuery(%q) = %d, reference %d", i, q, got, want)
		}
	}
	for _, q := range []string{"BEGIN", "COMMIT", "", " ", "XA START X'01'", "RENAME", "RENAME TABLE a TO b", "CREATE"} {
		if got, want := classifyQuery([]byte(q)), classifyQueryReference([]byte(q)); got != want {
			t.Errorf("classifyQuery(%q) = %d, reference %d", q, got, want)
		}
	}
}
