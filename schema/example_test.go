package schema

import (
	"errors"
	"fmt"
	"strings"
)

// A Catalog follows the DDL of a stream: each version of a table stays as
// it was when handed out, so rows logged before an ALTER decode with the
// columns they were logged with.
func ExampleCatalog() {
	c := NewCatalog()
	c.ApplyDDL("shop", "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, a VARCHAR(10))")
	before, _ := c.Table("shop", "t")
	c.ApplyDDL("shop", "ALTER TABLE t ADD COLUMN z TINYINT FIRST, DROP COLUMN a")
	c.ApplyDDL("shop", "INSERT INTO t VALUES (1, 2)") // not DDL: ignored without a parse
	after, _ := c.Table("shop", "t")
	fmt.Println(ddlColNames(before), before.PrimaryKey)
	fmt.Println(ddlColNames(after), after.PrimaryKey)
	err := c.ApplyDDL("shop", "ALTER TABLE t ADD COLUMN ((")
	fmt.Println(errors.Is(err, ErrDDL))
	// Output:
	// id a [0]
	// z id [1]
	// true
}

// A schema file made by mysqldump --no-data gives the tables at the start
// of the binlogs; ApplyDDL follows the stream from there.
func ExampleParse() {
	dump := "/*!40101 SET NAMES utf8mb4 */;\nUSE `shop`;\n" +
		"CREATE TABLE `orders` (\n  `id` int(11) NOT NULL,\n  `total` decimal(10,2) DEFAULT NULL,\n" +
		"  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
	s, err := Parse(strings.NewReader(dump))
	if err != nil {
		fmt.Println(err)
		return
	}
	s.ApplyDDL("shop", "ALTER TABLE orders ADD COLUMN note TEXT AFTER id")
	t, _ := s.Table("shop", "orders")
	for _, c := range t.Columns {
		fmt.Println(strings.TrimSpace(c.Name + " " + c.Type + " " + c.Charset))
	}
	// Output:
	// id int(11)
	// note text utf8mb4
	// total decimal(10,2)
}
