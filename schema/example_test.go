package schema_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/binlogkit/binlogkit/schema"
)

// A Catalog follows the DDL of a stream, applied in stream order as each
// QUERY event is reached: each version of a table stays as it was when
// handed out, so rows logged before an ALTER are read with the columns
// they were logged with.
func ExampleCatalog() {
	c := schema.NewCatalog()
	c.ApplyDDL("shop", "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, a VARCHAR(10))")
	before, _ := c.Table("shop", "t")
	c.ApplyDDL("shop", "ALTER TABLE t ADD COLUMN z TINYINT FIRST, DROP COLUMN a")
	c.ApplyDDL("shop", "INSERT INTO t VALUES (1, 2)") // not DDL: ignored without a parse
	after, _ := c.Table("shop", "t")
	for _, t := range []*schema.Table{before, after} {
		var names []string
		for _, col := range t.Columns {
			names = append(names, col.Name)
		}
		fmt.Println(strings.Join(names, " "), t.PrimaryKey)
	}
	err := c.ApplyDDL("shop", "ALTER TABLE t ADD COLUMN ((")
	fmt.Println(errors.Is(err, schema.ErrDDL))
	// Output:
	// id a [0]
	// z id [1]
	// true
}

// A schema file dumped with mariadb-dump --no-data (or mysqldump) at the
// start of the binlogs gives the tables as they were then; the Catalog
// then follows the DDL of the stream.
func ExampleLoadFile() {
	c, err := schema.LoadFile("testdata/shop.sql")
	if err != nil {
		fmt.Println(err)
		return
	}
	c.ApplyDDL("shop", "ALTER TABLE orders DROP COLUMN note") // a QUERY event of the stream
	t, _ := c.Table("shop", "orders")
	for _, col := range t.Columns {
		fmt.Printf("%s %s generated=%t invisible=%t\n", col.Name, col.Type, col.Generated, col.Invisible)
	}
	fmt.Println("primary key:", t.PrimaryKey)
	t, _ = c.Table("shop", "customers")
	fmt.Println("customers unique keys:", t.UniqueKeys)
	// Output:
	// id bigint(20) unsigned generated=false invisible=false
	// customer int(10) unsigned generated=false invisible=false
	// total decimal(10,2) generated=false invisible=false
	// total_cents bigint(20) generated=true invisible=false
	// updated timestamp generated=false invisible=true
	// primary key: [0]
	// customers unique keys: [[1]]
}

// Parse reads a schema file from any io.Reader; WithDefaultDB names the
// database of a dump made without --databases (no USE statement).
func ExampleParse() {
	dump := "/*!40101 SET NAMES utf8mb4 */;\n" +
		"CREATE TABLE `orders` (\n  `id` int(11) NOT NULL,\n  `total` decimal(10,2) DEFAULT NULL,\n" +
		"  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
	c, err := schema.Parse(strings.NewReader(dump), schema.WithDefaultDB("shop"))
	if err != nil {
		fmt.Println(err)
		return
	}
	c.ApplyDDL("shop", "ALTER TABLE orders ADD COLUMN note TEXT AFTER id")
	t, _ := c.Table("shop", "orders")
	for _, col := range t.Columns {
		fmt.Println(strings.TrimSpace(col.Name + " " + col.Type + " " + col.Charset))
	}
	// Output:
	// id int(11)
	// note text utf8mb4
	// total decimal(10,2)
}
