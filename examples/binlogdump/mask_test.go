package main

import (
	"os"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/internal/sensitivetest"
)

// TestMaskRecorded dumps the recorded sensitive workload in every output
// form with --mask and checks that no sensitive value is printed, while the
// unmasked dump prints each of them.
func TestMaskRecorded(t *testing.T) {
	values := sensitivetest.Values(t)
	for _, f := range sensitivetest.Files() {
		if _, err := os.Stat(f); err != nil {
			t.Skipf("recording missing: %v", err)
		}
	}
	// Unmasked, the values are there (in -v text, JSON or both): the list
	// is the workload's.
	_, plainText, _ := dump(t, nil, append([]string{"-v"}, sensitivetest.Files()...)...)
	_, plainJSON, _ := dump(t, nil, append([]string{"--json"}, sensitivetest.Files()...)...)
	for _, v := range values {
		if !strings.Contains(plainText+plainJSON, v) {
			t.Errorf("%q not in the unmasked dumps: fix testdata/sensitive-values.txt", v)
		}
	}
	for _, form := range [][]string{nil, {"-v"}, {"--json"}} {
		args := append(append([]string{"--mask", sensitivetest.Rules()}, form...), sensitivetest.Files()...)
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
			if n := strings.Count(out, sensitivetest.Hash("alice.new@example.com")); n < 3 {
				t.Errorf("%v: hash of alice.new@example.com printed %d times, want at least 3", form, n)
			}
		}
		// Positions are the file's: every "end_log_pos N" / "at N" of the
		// unmasked dump is still there.
		if len(form) == 0 {
			_, plain, _ := dump(t, nil, sensitivetest.Files()...)
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
	code, _, errs := dump(t, nil, "--mask", bad, sensitivetest.Files()[0])
	if code != exitBadInput || !strings.Contains(errs, "bad.yaml:3:") || !strings.Contains(errs, "shred") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	code, _, errs = dump(t, nil, "--mask", t.TempDir()+"/none.yaml", sensitivetest.Files()[0])
	if code != exitBadInput || !strings.Contains(errs, "none.yaml") {
		t.Errorf("missing file: exit %d, stderr %q", code, errs)
	}
}
