package schema

import (
	"reflect"
	"testing"
)

func TestDDLParses(t *testing.T) {
	for s, want := range map[string]bool{
		"create table x (a int)":                                         true,
		"/*!40101 CREATE */ TABLE x (a int)":                             true,
		"  -- c\nALTER ONLINE TABLE x ADD a INT":                         true,
		"CREATE OR REPLACE TEMPORARY TABLE x (a int)":                    true,
		"create unique index i on t (a)":                                 true,
		"rename table a to b":                                            true,
		"RENAME USER a TO b":                                             false,
		"truncate t":                                                     false,
		"create view v as select 1":                                      false,
		"insert into t values (1)":                                       false,
		"# x\n/* y */ DROP TABLE t":                                      true,
		"DROP DATABASE IF EXISTS d":                                      true,
		"ALTER DATABASE d CHARACTER SET latin1":                          false,
		"CREATE SEQUENCE s":                                              true,
		"ALTER SEQUENCE s RESTART 1":                                     false,
		"SET STATEMENT max_statement_time=1 FOR ALTER TABLE t ADD b INT": true,
		"": false,
	} {
		if got := ddlParses(s); got != want {
			t.Errorf("ddlParses(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestApplyDDLSetStatement checks that MariaDB's SET STATEMENT … FOR
// around a DDL statement is applied as the statement.
func TestApplyDDLSetStatement(t *testing.T) {
	c := NewCatalog()
	for _, s := range []string{"CREATE TABLE t (a INT)", "SET STATEMENT lock_wait_timeout=5, sql_mode='' FOR ALTER TABLE t ADD COLUMN b VARCHAR(3)"} {
		if err := c.ApplyDDL("d", s); err != nil {
			t.Fatal(err)
		}
	}
	tb, err := c.Table("d", "t")
	if err != nil || tb == nil || len(tb.Columns) != 2 || tb.Columns[1].Name != "b" {
		t.Fatalf("%+v %v", tb, err)
	}
	if got := ddlStripSetStatement("SET STATEMENT a='FOR' FOR DROP TABLE t"); got != " DROP TABLE t" {
		t.Errorf("strip: %q", got)
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
