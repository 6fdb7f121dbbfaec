module github.com/binlogkit/binlogkit

go 1.24

require github.com/klauspost/compress v1.19.2
