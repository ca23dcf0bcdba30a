module btfpack.test/embedtree

go 1.19
