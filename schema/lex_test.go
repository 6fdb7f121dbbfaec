package schema

import (
	"reflect"
	"testing"
)

func TestDDLClassify(t *testing.T) {
	for s, want := range map[string]ddlStmtClass{
		"create table x (a int)":                      ddlClassDDL,
		"/*!40101 CREATE */ TABLE x (a int)":          ddlClassDDL,
		"  -- c\nALTER ONLINE TABLE x ADD a INT":      ddlClassDDL,
		"CREATE OR REPLACE TEMPORARY TABLE x (a int)": ddlClassDDL,
		"create unique index i on t (a)":              ddlClassDDL,
		"rename table a to b":                         ddlClassDDL,
		"RENAME USER a TO b":                          ddlClassIgnore,
		"truncate t":                                  ddlClassTruncate,
		"create view v as select 1":                   ddlClassIgnore,
		"insert into t values (1)":                    ddlClassIgnore,
		"# x\n/* y */ DROP TABLE t":                   ddlClassDDL,
		"DROP DATABASE IF EXISTS d":                   ddlClassDDL,
		"":                                            ddlClassIgnore,
	} {
		if got := ddlClassify(s); got != want {
			t.Errorf("ddlClassify(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestSplitStatements(t *testing.T) {
	var got []string
	var lines []int
	ddlSplitStatements("a;\n b 'x;y' \"q;\" `i;`;\n\n-- c;\n# d;\nc /* e; */ f\nDELIMITER //\ng; h//\nDELIMITER ;\ni", func(l int, s string) error {
		got = append(got, s)
		lines = append(lines, l)
		return nil
	})
	want := []string{"a", "b 'x;y' \"q;\" `i;`", "c /* e; */ f", "g; h", "i"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("statements %q, want %q", got, want)
	}
	if !reflect.DeepEqual(lines, []int{1, 2, 6, 8, 10}) {
		t.Errorf("lines %v", lines)
	}
}
