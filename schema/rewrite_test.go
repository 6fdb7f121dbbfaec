package schema

import "testing"

func TestCatalogMariaDBSyntax(t *testing.T) {
	c := NewCatalog()
	ddlApply(t, c, "d",
		"CREATE TABLE v (a INT) WITH SYSTEM VERSIONING",
		"CREATE TABLE col (a VARCHAR(3) COLLATE utf8mb4_uca1400_ai_ci, b INT) ENGINE=Aria PAGE_CHECKSUM=1",
		"/*!40101 CREATE TABLE vc (a INT) */",
		"CREATE TABLE sp (p POINT NOT NULL SRID 4326, g GEOMETRY REF_SYSTEM_ID=4326)",
		"ALTER IGNORE TABLE col ADD COLUMN c INT",
		"CREATE TABLE pers (a INT, b INT AS (a + 1) PERSISTENT, persistent INT)")
	if tab := ddlExpectCols(t, c, "d", "pers", "a b persistent"); !tab.Columns[1].Generated || tab.Columns[2].Generated {
		t.Errorf("pers: %+v", tab.Columns)
	}
	// A system-versioned table has implicit row_start and row_end
	// columns at the end, in row events (not in information_schema).
	tab := ddlExpectCols(t, c, "d", "v", "a row_start row_end")
	if rs := tab.Columns[1]; rs.Type != "timestamp(6)" || !rs.Generated || !rs.Invisible {
		t.Errorf("row_start = %+v", rs)
	}
	ddlApply(t, c, "d", "ALTER TABLE v ADD COLUMN b INT")
	ddlExpectCols(t, c, "d", "v", "a b row_start row_end")
	ddlApply(t, c, "d", "ALTER TABLE v DROP SYSTEM VERSIONING")
	ddlExpectCols(t, c, "d", "v", "a b")
	ddlApply(t, c, "d", "ALTER TABLE v ADD SYSTEM VERSIONING, ALGORITHM=NOCOPY")
	ddlExpectCols(t, c, "d", "v", "a b row_start row_end")
	ddlApply(t, c, "d", "CREATE TABLE w (a INT, s BIGINT UNSIGNED GENERATED ALWAYS AS ROW START INVISIBLE, "+
		"e BIGINT UNSIGNED AS ROW END INVISIBLE, PERIOD FOR SYSTEM_TIME(s, e)) ENGINE=InnoDB WITH SYSTEM VERSIONING")
	tab = ddlExpectCols(t, c, "d", "w", "a s e")
	if s := tab.Columns[1]; s.Type != "bigint(20) unsigned" || !s.Generated || !s.Invisible {
		t.Errorf("explicit row start = %+v", s)
	}
	ddlApply(t, c, "d", "ALTER TABLE w DROP SYSTEM VERSIONING")
	ddlExpectCols(t, c, "d", "w", "a")
	// Other MariaDB forms.
	ddlApply(t, c, "d",
		"CREATE TABLE compressed (b BLOB COMPRESSED, c VARCHAR(10) COMPRESSED=zlib, invisible INT, nowait INT, ignored INT) ROW_FORMAT=COMPRESSED",
		"ALTER TABLE compressed WAIT 10 ADD COLUMN d INT DEFAULT (b + 1), ADD KEY k (c) IGNORED, ADD KEY k2 (c) NOT IGNORED",
		"ALTER TABLE compressed NOWAIT ADD COLUMN e INT, LOCK=SHARED, ALGORITHM=NOCOPY",
		"RENAME TABLE IF EXISTS compressed WAIT 3 TO comp, nothere TO x",
		"DROP TABLE IF EXISTS gone NOWAIT",
		"CREATE TABLE pe (a INT, s DATE, e DATE, PERIOD FOR p(s, e))",
		"ALTER TABLE pe ALTER COLUMN a SET INVISIBLE, ALTER COLUMN `s` SET INVISIBLE",
		"ALTER TABLE pe ALTER COLUMN s SET VISIBLE")
	ddlExpectCols(t, c, "d", "comp", "b c invisible nowait ignored d e")
	ddlApply(t, c, "d",
		"CREATE TABLE vec (id INT PRIMARY KEY, v VECTOR(3) NOT NULL, VECTOR INDEX vi (v) M=8 DISTANCE=cosine, KEY k (id))",
		"CREATE TABLE ov (id INT NOT NULL, s DATE NOT NULL, e DATE NOT NULL, PERIOD FOR p(s, e), UNIQUE (id, p WITHOUT OVERLAPS))")
	if tab := ddlExpectCols(t, c, "d", "vec", "id v"); tab.Columns[1].Type != "vector(3)" {
		t.Errorf("vec: %+v", tab.Columns)
	}
	if tab := ddlExpectCols(t, c, "d", "ov", "id s e"); tab.UniqueKeys != nil {
		t.Errorf("a WITHOUT OVERLAPS key is not a row identifier: %v", tab.UniqueKeys)
	}
	tab = ddlExpectCols(t, c, "d", "pe", "a s e")
	if !tab.Columns[0].Invisible || tab.Columns[1].Invisible {
		t.Errorf("visibility: %+v", tab.Columns)
	}
	// Table names the TiDB parser reserves and MySQL 5.6 did not.
	ddlApply(t, c, "d", "CREATE TABLE GENERATED LIKE d.w", "CREATE TABLE IF NOT EXISTS d.STORED (a INT)")
	ddlExpectCols(t, c, "d", "generated", "a")
	ddlExpectCols(t, c, "d", "stored", "a")
	ddlExpectCols(t, c, "d", "col", "a b c")
	ddlExpectCols(t, c, "d", "vc", "a")
	ddlExpectCols(t, c, "d", "sp", "p g")
}
