module github.com/binlogkit/binlogkit

go 1.24
