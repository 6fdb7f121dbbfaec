package flashback_test

import (
	"context"
	"fmt"
	"os"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/flashback"
	"github.com/binlogkit/binlogkit/sqlgen"
)

// Undo the changes of a recorded MariaDB binlog: rollback SQL, last
// transaction first. WriteBinlog would write the same as a binlog instead.
func Example() {
	fb, err := flashback.New(flashback.Options{SkipUnsafe: true})
	if err != nil {
		panic(err)
	}
	defer fb.Close()
	src := binlog.OpenFiles("../examples/binlog2sql/testdata/sample.bin")
	defer src.Close()
	if err := fb.Add(context.Background(), binlog.NewReader(src)); err != nil {
		panic(err)
	}
	g := sqlgen.New(nil, sqlgen.Options{NoComments: true})
	if err := fb.WriteSQL(os.Stdout, g, flashback.SQLOptions{OneTransaction: true, NoComments: true}); err != nil {
		panic(err)
	}
	fmt.Println(fb.Summary().Transactions, "transactions undone")
	// Output:
	// BEGIN;
	// INSERT INTO `binlogkit`.`geo` (`id`,`g`,`p`,`pg`,`ls`,`mp`,`gc`) VALUES (2,ST_GeomFromWKB(X'0103000000010000000400000000000000000000000000000000000000000000000000f03f0000000000000000000000000000f03f000000000000f03f00000000000000000000000000000000', 3857),NULL,NULL,NULL,NULL,NULL);
	// UPDATE `binlogkit`.`tx` SET `v`='committed too' WHERE `id`=2;
	// DELETE FROM `binlogkit`.`ints` WHERE `id`=100;
	// DELETE FROM `binlogkit`.`nopk` WHERE `a`<=>3 AND `b`<=>'restart' LIMIT 1;
	// COMMIT;
	// 4 transactions undone
}

// The same rollback with the transactions inverted and their SQL written on
// two goroutines each: the bytes of one goroutine.
func ExampleFlashback_AddParallel() {
	fb, err := flashback.New(flashback.Options{SkipUnsafe: true})
	if err != nil {
		panic(err)
	}
	defer fb.Close()
	src := binlog.OpenFiles("../examples/binlog2sql/testdata/sample.bin")
	defer src.Close()
	if err := fb.AddParallel(context.Background(), src, binlog.ParallelOptions{Workers: 2}); err != nil {
		panic(err)
	}
	g := sqlgen.New(nil, sqlgen.Options{NoComments: true})
	if err := fb.WriteSQL(os.Stdout, g, flashback.SQLOptions{NoComments: true, Workers: 2}); err != nil {
		panic(err)
	}
	fmt.Println(fb.Summary().Transactions, "transactions undone")
	// Output:
	// BEGIN;
	// INSERT INTO `binlogkit`.`geo` (`id`,`g`,`p`,`pg`,`ls`,`mp`,`gc`) VALUES (2,ST_GeomFromWKB(X'0103000000010000000400000000000000000000000000000000000000000000000000f03f0000000000000000000000000000f03f000000000000f03f00000000000000000000000000000000', 3857),NULL,NULL,NULL,NULL,NULL);
	// COMMIT;
	// BEGIN;
	// UPDATE `binlogkit`.`tx` SET `v`='committed too' WHERE `id`=2;
	// COMMIT;
	// BEGIN;
	// DELETE FROM `binlogkit`.`ints` WHERE `id`=100;
	// COMMIT;
	// BEGIN;
	// DELETE FROM `binlogkit`.`nopk` WHERE `a`<=>3 AND `b`<=>'restart' LIMIT 1;
	// COMMIT;
	// 4 transactions undone
}
