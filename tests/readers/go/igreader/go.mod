module btfpack.test/igreader

go 1.19
