package sqlgen_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/schema"
	"github.com/binlogkit/binlogkit/sqlgen"
)

// Parallel writes the SQL a Generator writes, generated on several
// goroutines; the Preamble is the caller's to write.
func ExampleParallel() {
	src := binlog.OpenFiles("../testdata/recorded/mariadb-10_11-full.000002")
	var out bytes.Buffer
	opts := sqlgen.Options{NoComments: true}
	out.Write(sqlgen.New(nil, opts).Preamble(nil))
	err := sqlgen.Parallel(context.Background(), &out, src, schema.NewMetadata(), opts, binlog.ParallelOptions{Workers: 4})
	if err != nil {
		fmt.Println(err)
	}
	lines := strings.Split(out.String(), "\n")
	fmt.Println(strings.Join(lines[3:9], "\n"))
	// Output:
	// BEGIN;
	// INSERT INTO `second-db ✓`.`t` (`id`,`name`) VALUES (1,'zwei');
	// INSERT INTO `second-db ✓`.`t` (`id`,`name`) VALUES (2,'Grüße');
	// COMMIT;
	// BEGIN;
	// INSERT INTO `binlogkit`.`tx` (`id`,`v`) VALUES (20,'from second-db');
}
