package schema

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// dumpSample is written the way mariadb-dump --no-data --databases and
// --triggers --routines write: sandbox comment, version comments, SET
// statements, DROP TABLE IF EXISTS, USE, a view's stand-in table, a trigger
// and a procedure in DELIMITER blocks.
const dumpSample = `/*M!999999\- enable the sandbox mode */ 
-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)
--
-- Host: localhost    Database: shop
-- ------------------------------------------------------
-- Server version	10.11.19-MariaDB-0+deb12u1

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*M!100616 SET @OLD_NOTE_VERBOSITY=@@NOTE_VERBOSITY, NOTE_VERBOSITY=0 */;

--
-- Current Database: ` + "`shop`" + `
--

CREATE DATABASE /*!32312 IF NOT EXISTS*/ ` + "`shop`" + ` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci */;

USE ` + "`shop`" + `;

--
-- Table structure for table ` + "`orders`" + `
--

DROP TABLE IF EXISTS ` + "`orders`" + `;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE ` + "`orders`" + ` (
  ` + "`id`" + ` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  ` + "`customer`" + ` varchar(40) NOT NULL DEFAULT 'a;b' COMMENT 'it''s -- not a comment; really',
  ` + "`total`" + ` decimal(10,2) DEFAULT NULL,
  ` + "`note`" + ` text CHARACTER SET latin1 COLLATE latin1_swedish_ci DEFAULT NULL,
  ` + "`doubled`" + ` decimal(11,2) GENERATED ALWAYS AS (` + "`total`" + ` * 2) VIRTUAL,
  ` + "`secret`" + ` int(11) DEFAULT 0 INVISIBLE,
  ` + "`where`" + ` point DEFAULT NULL,
  PRIMARY KEY (` + "`id`" + `),
  UNIQUE KEY ` + "`customer`" + ` (` + "`customer`" + `),
  KEY ` + "`total`" + ` (` + "`total`" + `)
) ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!50003 SET @saved_cs_client      = @@character_set_client */ ;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=` + "`root`@`localhost`" + `*/ /*!50003 TRIGGER orders_bi BEFORE INSERT ON orders FOR EACH ROW BEGIN
  SET NEW.total = IFNULL(NEW.total, 0);
  ALTER TABLE orders ADD COLUMN never INT;
END */;;
DELIMITER ;

--
-- Table structure for table ` + "`we-ird tab``le ✓`" + `
--

CREATE TABLE ` + "`we-ird tab``le ✓`" + ` (
  ` + "`id-1`" + ` int(11) NOT NULL,
  ` + "`col 2`" + ` varchar(10) DEFAULT NULL,
  PRIMARY KEY (` + "`id-1`" + `)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

--
-- Temporary table structure for view ` + "`v`" + `
--

SET @saved_cs_client     = @@character_set_client;
/*!50001 CREATE VIEW ` + "`v`" + ` AS SELECT
 1 AS ` + "`id`" + ` */;

DELIMITER ;;
CREATE DEFINER=` + "`root`@`localhost`" + ` PROCEDURE ` + "`p`" + `()
BEGIN
  DROP TABLE orders;
END ;;
DELIMITER ;

USE second;
CREATE TABLE t (a INT);
/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
-- Dump completed on 2026-11-21 15:00:00
`

func TestSchemaFile(t *testing.T) {
	s, err := Parse(strings.NewReader(dumpSample))
	if err != nil {
		t.Fatal(err)
	}
	var _ Provider = s
	tab, err := s.Table("shop", "orders")
	if err != nil || tab == nil {
		t.Fatalf("orders: %v %v", tab, err)
	}
	want := []Column{
		{Name: "id", Type: "bigint(20) unsigned", Unsigned: true},
		{Name: "customer", Type: "varchar(40)", Charset: "utf8mb4"},
		{Name: "total", Type: "decimal(10,2)"},
		{Name: "note", Type: "text", Charset: "latin1"},
		{Name: "doubled", Type: "decimal(11,2)", Generated: true},
		{Name: "secret", Type: "int(11)", Invisible: true},
		{Name: "where", Type: "point"},
	}
	if !reflect.DeepEqual(tab.Columns, want) {
		t.Errorf("orders columns\n got %+v\nwant %+v", tab.Columns, want)
	}
	if !reflect.DeepEqual(tab.PrimaryKey, []int{0}) || !reflect.DeepEqual(tab.UniqueKeys, [][]int{{1}}) {
		t.Errorf("orders keys %v %v", tab.PrimaryKey, tab.UniqueKeys)
	}
	ddlExpectCols(t, s, "shop", "we-ird tab`le ✓", "id-1 col 2")
	ddlExpectCols(t, s, "second", "t", "a")
	ddlExpectCols(t, s, "shop", "v", "<nil>")
	// DDL after the snapshot.
	if err := s.ApplyDDL("shop", "ALTER TABLE orders DROP COLUMN note"); err != nil {
		t.Fatal(err)
	}
	ddlExpectCols(t, s, "shop", "orders", "id customer total doubled secret where")
}

func TestSchemaFileDefaultDB(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "s.sql")
	os.WriteFile(p, []byte("-- no USE\nCREATE TABLE a (x INT);\nCREATE TABLE b (y INT)"), 0o644)
	s, err := LoadFile(p, WithDefaultDB("app"))
	if err != nil {
		t.Fatal(err)
	}
	ddlExpectCols(t, s, "app", "a", "x")
	ddlExpectCols(t, s, "app", "b", "y")
}

func TestSchemaFileErrorNamesLine(t *testing.T) {
	_, err := Parse(strings.NewReader("CREATE TABLE ok (a INT);\n\n-- c\nCREATE TABLE bad (a INT,,);\n"))
	if err == nil || !errors.Is(err, ErrDDL) || !strings.Contains(err.Error(), "line 4") || !strings.Contains(err.Error(), "CREATE TABLE bad") {
		t.Fatalf("error = %v", err)
	}
	if _, err := LoadFile(filepath.Join(t.TempDir(), "missing.sql")); err == nil {
		t.Fatal("no error for a missing file")
	}
}
