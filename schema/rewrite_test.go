package schema

import (
	"reflect"
	"testing"
)

// TestDDLRewrite pins the text each rewrite of ddlRewrite produces and what
// it reports in rewriteInfo, with the guards that keep names (a table named
// compressed, a column named invisible or wait) and index options (KEY k
// (a) INVISIBLE) as written.
func TestDDLRewrite(t *testing.T) {
	for _, tc := range []struct {
		in, out string
		info    rewriteInfo
	}{
		// Nothing to rewrite: the same string.
		{"CREATE TABLE t (a INT)",
			"CREATE TABLE t (a INT)", rewriteInfo{}},
		// Version comments lose their markers.
		{"/*!40101 CREATE TABLE v (a INT) */",
			"  CREATE TABLE v (a INT)  ", rewriteInfo{}},
		{"/*M!100100 ALTER TABLE t ADD b INT */",
			"  ALTER TABLE t ADD b INT  ", rewriteInfo{}},
		// ALTER ONLINE/IGNORE/OFFLINE, CREATE OR REPLACE, RENAME IF EXISTS.
		{"ALTER ONLINE TABLE t ADD c INT",
			"ALTER   TABLE t ADD c INT", rewriteInfo{}},
		{"ALTER IGNORE TABLE t ADD c INT",
			"ALTER   TABLE t ADD c INT", rewriteInfo{}},
		{"ALTER OFFLINE TABLE t ADD c INT",
			"ALTER   TABLE t ADD c INT", rewriteInfo{}},
		{"ALTER TABLE online ADD ignore INT",
			"ALTER TABLE online ADD ignore INT", rewriteInfo{}},
		{"CREATE OR REPLACE TABLE t (a INT)",
			"CREATE   TABLE t (a INT)", rewriteInfo{orReplace: true}},
		{"/*!40101 CREATE OR REPLACE TABLE t (a INT) */",
			"  CREATE   TABLE t (a INT)  ", rewriteInfo{orReplace: true}},
		{"CREATE TABLE t (a INT) SELECT 1 OR REPLACE(1, 2, 3)",
			"CREATE TABLE t (a INT) SELECT 1 OR REPLACE(1, 2, 3)", rewriteInfo{}},
		{"RENAME TABLE IF EXISTS a TO b",
			"RENAME TABLE   a TO b", rewriteInfo{}},
		{"RENAME TABLE a TO b",
			"RENAME TABLE a TO b", rewriteInfo{}},
		// Visibility.
		{"ALTER TABLE t ALTER COLUMN c SET INVISIBLE, ALTER COLUMN `d` SET VISIBLE",
			"ALTER TABLE t ALTER COLUMN c DROP DEFAULT, ALTER COLUMN `d` DROP DEFAULT", rewriteInfo{visibility: []visChange{{"c", true}, {"d", false}}}},
		{"CREATE TABLE t (a INT INVISIBLE, h int(11) INVISIBLE DEFAULT 7, invisible INT, KEY k (a) INVISIBLE, INDEX i (a) INVISIBLE, KEY k3 USING BTREE (a) INVISIBLE)",
			"CREATE TABLE t (a INT  COMMENT '\x00binlogkit:invisible' , h int(11)  COMMENT '\x00binlogkit:invisible'  DEFAULT 7, invisible INT, KEY k (a) INVISIBLE, INDEX i (a) INVISIBLE, KEY k3 USING BTREE (a) INVISIBLE)", rewriteInfo{}},
		{"ALTER TABLE t ALTER INDEX i INVISIBLE",
			"ALTER TABLE t ALTER INDEX i INVISIBLE", rewriteInfo{}},
		// Column types the TiDB parser lacks, and their options.
		{"CREATE TABLE t (p POINT, g GEOMETRY NOT NULL, i4 INET4, i6 INET6, u UUID, x XMLTYPE, l LINESTRING, gc GEOMCOLLECTION, KEY point (p))",
			"CREATE TABLE t (p  BLOB COMMENT '\x00binlogkit:type=point' , g  BLOB COMMENT '\x00binlogkit:type=geometry'  NOT NULL, i4  BLOB COMMENT '\x00binlogkit:type=inet4' , i6  BLOB COMMENT '\x00binlogkit:type=inet6' , u  BLOB COMMENT '\x00binlogkit:type=uuid' , x  BLOB COMMENT '\x00binlogkit:type=xmltype' , l  BLOB COMMENT '\x00binlogkit:type=linestring' , gc  BLOB COMMENT '\x00binlogkit:type=geomcollection' , KEY point (p))", rewriteInfo{}},
		{"CREATE TABLE point (point INT, uuid CHAR(36) DEFAULT uuid())",
			"CREATE TABLE point (point INT, uuid CHAR(36) DEFAULT uuid())", rewriteInfo{}},
		{"CREATE TABLE t (a INT, b INT AS (a + 1) PERSISTENT, persistent INT)",
			"CREATE TABLE t (a INT, b INT AS (a + 1) STORED, persistent INT)", rewriteInfo{}},
		{"CREATE TABLE t (p POINT NOT NULL SRID 4326, g GEOMETRY REF_SYSTEM_ID=4326)",
			"CREATE TABLE t (p  BLOB COMMENT '\x00binlogkit:type=point'  NOT NULL  , g  BLOB COMMENT '\x00binlogkit:type=geometry'   )", rewriteInfo{}},
		{"CREATE TABLE t (srid INT, srid2 INT)",
			"CREATE TABLE t (srid INT, srid2 INT)", rewriteInfo{}},
		// WAIT n, NOWAIT, ALGORITHM=NOCOPY.
		{"ALTER TABLE t WAIT 10 ADD c INT",
			"ALTER TABLE t   ADD c INT", rewriteInfo{}},
		{"ALTER TABLE t NOWAIT ADD d INT",
			"ALTER TABLE t   ADD d INT", rewriteInfo{}},
		{"DROP TABLE IF EXISTS x NOWAIT",
			"DROP TABLE IF EXISTS x  ", rewriteInfo{}},
		{"CREATE TABLE t (wait INT, nowait INT)",
			"CREATE TABLE t (wait INT, nowait INT)", rewriteInfo{}},
		{"ALTER TABLE t ADD e INT, ALGORITHM=NOCOPY",
			"ALTER TABLE t ADD e INT, ALGORITHM=INPLACE", rewriteInfo{}},
		{"ALTER TABLE t ADD e INT, ALGORITHM NOCOPY",
			"ALTER TABLE t ADD e INT, ALGORITHM INPLACE", rewriteInfo{}},
		// COMPRESSED columns, IGNORED indexes, DEFAULT (expression).
		{"CREATE TABLE compressed (b BLOB COMPRESSED, c VARCHAR(10) COMPRESSED=zlib, compressed INT) ROW_FORMAT=COMPRESSED PAGE_COMPRESSED=1",
			"CREATE TABLE compressed (b BLOB  , c VARCHAR(10)  , compressed INT) ROW_FORMAT=COMPRESSED PAGE_COMPRESSED=1", rewriteInfo{}},
		{"ALTER TABLE t ADD KEY k (c) IGNORED, ADD KEY k2 (c) NOT IGNORED",
			"ALTER TABLE t ADD KEY k (c)  , ADD KEY k2 (c)  ", rewriteInfo{}},
		{"CREATE TABLE t (ignored INT, a INT NOT NULL)",
			"CREATE TABLE t (ignored INT, a INT NOT NULL)", rewriteInfo{}},
		{"ALTER TABLE t ADD COLUMN d INT DEFAULT (b + 1), ALTER COLUMN b SET DEFAULT 3",
			"ALTER TABLE t ADD COLUMN d INT  , ALTER COLUMN b SET DEFAULT 3", rewriteInfo{}},
		{"CREATE TABLE t (d INT DEFAULT ((1)), e INT DEFAULT 0)",
			"CREATE TABLE t (d INT  , e INT DEFAULT 0)", rewriteInfo{}},
		// System versioning and application-time periods.
		{"CREATE TABLE w (a INT, s BIGINT UNSIGNED GENERATED ALWAYS AS ROW START INVISIBLE, e BIGINT UNSIGNED AS ROW END INVISIBLE, PERIOD FOR SYSTEM_TIME(s, e)) WITH SYSTEM VERSIONING",
			"CREATE TABLE w (a INT, s BIGINT UNSIGNED  COMMENT '\x00binlogkit:generated'   COMMENT '\x00binlogkit:invisible' , e BIGINT UNSIGNED  COMMENT '\x00binlogkit:generated'   COMMENT '\x00binlogkit:invisible'  )  ", rewriteInfo{}},
		{"CREATE TABLE pe (a INT, s DATE, e DATE, PERIOD FOR p(s, e))",
			"CREATE TABLE pe (a INT, s DATE, e DATE )", rewriteInfo{}},
		{"ALTER TABLE pe ADD PERIOD FOR p(s, e)",
			"ALTER TABLE pe FORCE", rewriteInfo{}},
		{"CREATE TABLE ov (id INT NOT NULL, s DATE NOT NULL, e DATE NOT NULL, PERIOD FOR p(s, e), UNIQUE (id, p WITHOUT OVERLAPS))",
			"CREATE TABLE ov (id INT NOT NULL, s DATE NOT NULL, e DATE NOT NULL , UNIQUE (id, p  ))", rewriteInfo{}},
		// Vector indexes.
		{"CREATE TABLE vec (id INT PRIMARY KEY, v VECTOR(3) NOT NULL, VECTOR INDEX vi (v) M=8 DISTANCE=cosine, KEY k (id))",
			"CREATE TABLE vec (id INT PRIMARY KEY, v VECTOR(3) NOT NULL , KEY k (id))", rewriteInfo{}},
		{"CREATE TABLE vec (v VECTOR(3) NOT NULL, VECTOR KEY (v))",
			"CREATE TABLE vec (v VECTOR(3) NOT NULL )", rewriteInfo{}},
		// WITH/WITHOUT/ADD/DROP SYSTEM VERSIONING.
		{"CREATE TABLE v (a INT) WITH SYSTEM VERSIONING",
			"CREATE TABLE v (a INT)  ", rewriteInfo{versioned: true}},
		{"CREATE TABLE v (a INT WITHOUT SYSTEM VERSIONING, b INT WITH SYSTEM VERSIONING) WITH SYSTEM VERSIONING",
			"CREATE TABLE v (a INT  , b INT  )  ", rewriteInfo{versioned: true}},
		{"ALTER TABLE v ADD SYSTEM VERSIONING",
			"ALTER TABLE v FORCE", rewriteInfo{versioned: true}},
		{"ALTER TABLE v DROP SYSTEM VERSIONING",
			"ALTER TABLE v FORCE", rewriteInfo{unversioned: true}},
		{"CREATE TABLE `with` (`system` INT, versioning INT)",
			"CREATE TABLE `with` (`system` INT, versioning INT)", rewriteInfo{}},
		{"CREATE TABLE t (a INT) COMMENT 'WITH SYSTEM VERSIONING INVISIBLE'",
			"CREATE TABLE t (a INT) COMMENT 'WITH SYSTEM VERSIONING INVISIBLE'", rewriteInfo{}},
	} {
		out, info := ddlRewrite(tc.in)
		if out != tc.out {
			t.Errorf("ddlRewrite(%q)\n got %q\nwant %q", tc.in, out, tc.out)
		}
		if !reflect.DeepEqual(info, tc.info) {
			t.Errorf("ddlRewrite(%q) info = %+v, want %+v", tc.in, info, tc.info)
		}
	}
}

// TestDDLRetryRewrites pins the rewrites of the second attempts: collations
// stripped, table options cut, a reserved table name quoted.
func TestDDLRetryRewrites(t *testing.T) {
	for _, tc := range []struct{ in, out string }{
		{"CREATE TABLE t (a VARCHAR(3) COLLATE utf8mb4_uca1400_ai_ci, b TEXT COLLATE = latin1_bin) COLLATE=utf8mb4_uca1400_ai_ci", "CREATE TABLE t (a VARCHAR(3)  , b TEXT  )  "},
		{"CREATE TABLE collate (a INT)", "CREATE TABLE collate (a INT)"},
		{"CREATE TABLE t (a INT) COMMENT 'COLLATE x'", "CREATE TABLE t (a INT) COMMENT 'COLLATE x'"},
	} {
		if got := ddlStripCollations(tc.in); got != tc.out {
			t.Errorf("ddlStripCollations(%q) = %q, want %q", tc.in, got, tc.out)
		}
	}
	for _, tc := range []struct {
		in, out string
		ok      bool
	}{
		{"CREATE TABLE t (a INT, b VARCHAR(3)) ENGINE=Aria PAGE_CHECKSUM=1 PARTITION BY HASH (a)", "CREATE TABLE t (a INT, b VARCHAR(3))", true},
		{"CREATE TABLE t (a INT) SELECT 1", "", false},
		{"CREATE TABLE t (a INT) AS SELECT 1", "", false},
		{"CREATE TABLE t (a INT) WITH SYSTEM VERSIONING", "CREATE TABLE t (a INT)", true},
		{"CREATE TABLE t (a INT) WITH x AS (SELECT 1) SELECT * FROM x", "", false},
		{"CREATE TABLE t LIKE u", "", false},
	} {
		if got, ok := ddlCutTableOptions(tc.in); got != tc.out || ok != tc.ok {
			t.Errorf("ddlCutTableOptions(%q) = %q, %v, want %q, %v", tc.in, got, ok, tc.out, tc.ok)
		}
	}
	for _, tc := range []struct {
		in, out string
		ok      bool
	}{
		{"CREATE TABLE GENERATED (a INT)", "CREATE TABLE `GENERATED` (a INT)", true},
		{"CREATE TABLE IF NOT EXISTS d.STORED (a INT)", "CREATE TABLE IF NOT EXISTS `d`.`STORED` (a INT)", true},
		{"CREATE TABLE `quoted` (a INT)", "", false},
		{"DROP VIEW v", "", false},
	} {
		if got, ok := ddlQuoteTableName(tc.in); got != tc.out || ok != tc.ok {
			t.Errorf("ddlQuoteTableName(%q) = %q, %v, want %q, %v", tc.in, got, ok, tc.out, tc.ok)
		}
	}
}

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
