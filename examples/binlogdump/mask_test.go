package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

var sensitiveFiles = []string{"../../testdata/recorded/mariadb-10_11-sensitive.000001", "../../testdata/recorded/mariadb-10_11-sensitive.000002"}

const sensitiveRules = "../../testdata/sensitive-mask.yaml"

// sensitiveValues reads the personal values of testdata/sensitive.sql.
func sensitiveValues(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../testdata/sensitive-values.txt")
	if err != nil {
		t.Skipf("values list missing: %v", err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// maskHash is what a hash rule of testdata/sensitive-mask.yaml writes for s.
func maskHash(s string) string {
	h := hmac.New(sha256.New, []byte("binlogkit test key"))
	h.Write([]byte(s))
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// TestMaskRecorded dumps the recorded sensitive workload in every output
// form with --mask and checks that no sensitive value is printed, while the
// unmasked dump prints each of them.
func TestMaskRecorded(t *testing.T) {
	values := sensitiveValues(t)
	for _, f := range sensitiveFiles {
		if _, err := os.Stat(f); err != nil {
			t.Skipf("recording missing: %v", err)
		}
	}
	// Unmasked, the values are there (in -v text, JSON or both): the list
	// is the workload's.
	_, plainText, _ := dump(t, nil, append([]string{"-v"}, sensitiveFiles...)...)
	_, plainJSON, _ := dump(t, nil, append([]string{"--json"}, sensitiveFiles...)...)
	for _, v := range values {
		if !strings.Contains(plainText+plainJSON, v) {
			t.Errorf("%q not in the unmasked dumps: fix testdata/sensitive-values.txt", v)
		}
	}
	for _, form := range [][]string{nil, {"-v"}, {"--json"}} {
		args := append(append([]string{"--mask", sensitiveRules}, form...), sensitiveFiles...)
		code, out, errs := dump(t, nil, args...)
		checkOK(t, code, errs)
		for _, v := range values {
			if i := strings.Index(out, v); i >= 0 {
				t.Errorf("%v: %q printed: …%s…", form, v, out[max(0, i-80):min(len(out), i+len(v)+20)])
			}
		}
		if len(form) > 0 {
			// Equal values hash alike across rows and events: the new
			// address of row 1 (column rule), in its note (value rule) and
			// in row 6 (another event).
			if n := strings.Count(out, maskHash("alice.new@example.com")); n < 3 {
				t.Errorf("%v: hash of alice.new@example.com printed %d times, want at least 3", form, n)
			}
		}
		// Positions are the file's: every "end_log_pos N" / "at N" of the
		// unmasked dump is still there.
		if len(form) == 0 {
			_, plain, _ := dump(t, nil, sensitiveFiles...)
			for _, l := range strings.Split(plain, "\n") {
				if strings.HasPrefix(l, "# at ") && !strings.Contains(out, l+"\n") {
					t.Errorf("position line %q missing from the masked dump", l)
				}
			}
		}
	}
}

func TestMaskFlagErrors(t *testing.T) {
	bad := t.TempDir() + "/bad.yaml"
	os.WriteFile(bad, []byte("rules:\n  - column: a\n    action: shred\n"), 0o600)
	code, _, errs := dump(t, nil, "--mask", bad, sensitiveFiles[0])
	if code != exitBadInput || !strings.Contains(errs, "bad.yaml:3:") || !strings.Contains(errs, "shred") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	code, _, errs = dump(t, nil, "--mask", t.TempDir()+"/none.yaml", sensitiveFiles[0])
	if code != exitBadInput || !strings.Contains(errs, "none.yaml") {
		t.Errorf("missing file: exit %d, stderr %q", code, errs)
	}
}
