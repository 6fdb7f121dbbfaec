package main

import (
	"strings"
	"testing"
)

func TestFlashback(t *testing.T) {
	out, errs, code := runTool(t, "--flashback", "--no-comments")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := sqlPreamble +
		"BEGIN;\nINSERT INTO `binlogkit`.`geo` (`id`,`g`,`p`,`pg`,`ls`,`mp`,`gc`) VALUES (2,ST_GeomFromWKB(X'0103000000010000000400000000000000000000000000000000000000000000000000f03f0000000000000000000000000000f03f000000000000f03f00000000000000000000000000000000', 3857),NULL,NULL,NULL,NULL,NULL);\nCOMMIT;\n" +
		"BEGIN;\nUPDATE `binlogkit`.`tx` SET `v`='committed too' WHERE `id`=2;\nCOMMIT;\n" +
		"BEGIN;\nDELETE FROM `binlogkit`.`ints` WHERE `id`=100;\nCOMMIT;\n" +
		"BEGIN;\nDELETE FROM `binlogkit`.`nopk` WHERE `a`<=>3 AND `b`<=>'restart' LIMIT 1;\nCOMMIT;\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	if !strings.Contains(errs, "flashback: 4 rollback transaction(s)") {
		t.Errorf("summary: %s", errs)
	}
	out, _, code = runTool(t, "--flashback", "--one-transaction", "--no-comments", "--tables", "ints,tx", "--quiet")
	if code != exitOK || strings.Count(out, "BEGIN;") != 1 || strings.Count(out, "COMMIT;") != 1 || strings.Contains(out, "geo") ||
		strings.Index(out, "`tx`") > strings.Index(out, "`ints`") {
		t.Errorf("--one-transaction --tables: exit %d\n%s", code, out)
	}
	out, _, _ = runTool(t, "--flashback", "--chunk-rows", "1", "--quiet", "--start-position", "598")
	if strings.Count(out, "COMMIT;") != 3 || strings.Contains(out, "nopk") {
		t.Errorf("--chunk-rows 1 --start-position 598:\n%s", out)
	}
	if _, _, code := runTool(t, "--chunk-rows", "5"); code != exitUsage {
		t.Errorf("--chunk-rows without --flashback: exit %d", code)
	}
}

// TestFlashbackFromRowsEvent: --flashback from the Delete_rows event's
// position writes the INSERT that undoes it; --sql-type names the changes
// to undo (binlog2sql's meaning); a range with nothing to undo exits 1.
func TestFlashbackFromRowsEvent(t *testing.T) {
	out, errs, code := runTool(t, "--flashback", "--no-comments", "--start-position", "1372")
	if code != exitOK || !strings.Contains(out, "INSERT INTO `binlogkit`.`geo`") || strings.Count(out, "BEGIN;") != 1 {
		t.Fatalf("exit %d: %s\n%s", code, errs, out)
	}
	out, errs, code = runTool(t, "--flashback", "--no-comments", "--sql-type", "DELETE")
	if code != exitOK || !strings.Contains(out, "INSERT INTO `binlogkit`.`geo`") || strings.Contains(out, "DELETE FROM") || strings.Contains(out, "UPDATE") {
		t.Fatalf("--sql-type DELETE: exit %d: %s\n%s", code, errs, out)
	}
	_, errs, code = runTool(t, "--flashback", "--start-position", "1526")
	if code != exitBadInput || !strings.Contains(errs, "nothing to undo") {
		t.Errorf("empty range: exit %d: %s", code, errs)
	}
}
