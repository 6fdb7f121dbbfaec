// Package sensitivetest gives tests the project's recorded workload with
// personal data (testdata/sensitive.sql, recorded from MariaDB): its binlog
// files, the masking rules written for it and the personal values none of
// whose occurrences may survive masking.
package sensitivetest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Key is the HMAC key of testdata/sensitive-mask.yaml.
const Key = "binlogkit test key"

// path returns name (relative to the repository root) relative to the
// working directory, so that file names in outputs stay the short ones the
// tests expect.
func path(name string) string {
	_, self, _, _ := runtime.Caller(0)
	abs := filepath.Join(filepath.Dir(self), "..", "..", name)
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, abs); err == nil {
			return rel
		}
	}
	return abs
}

// Files returns the recorded binlog files of the workload, in order.
func Files() []string {
	return []string{
		path("testdata/recorded/mariadb-10_11-sensitive.000001"),
		path("testdata/recorded/mariadb-10_11-sensitive.000002"),
	}
}

// Rules returns the path of testdata/sensitive-mask.yaml.
func Rules() string { return path("testdata/sensitive-mask.yaml") }

// Values returns the workload's personal values
// (testdata/sensitive-values.txt, one per line).
func Values(t testing.TB) []string {
	t.Helper()
	b, err := os.ReadFile(path("testdata/sensitive-values.txt"))
	if err != nil {
		t.Fatalf("values list: %v", err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Hash is what a hash rule of testdata/sensitive-mask.yaml writes for a
// string value s that fits 16 characters.
func Hash(s string) string {
	h := hmac.New(sha256.New, []byte(Key))
	h.Write([]byte(s))
	return hex.EncodeToString(h.Sum(nil))[:16]
}
