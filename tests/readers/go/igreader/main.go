// SPDX-License-Identifier: MIT

// igreader reads a bcc-profile bundle the way Inspektor Gadget reads its
// BTF layer: compress/gzip, archive/tar, and io.ReadAll of the member whose
// header name is the key. Standard library only.
//
//	igreader BUNDLE.tar.gz --list        "<size> <name>" per member
//	igreader BUNDLE.tar.gz NAME OUT      the member's bytes to OUT
package main

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
)

func open(path string) (*tar.Reader, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	gz, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return tar.NewReader(gz), func() { gz.Close(); f.Close() }, nil
}

// find returns the bytes of the first member named name.
func find(tr *tar.Reader, name string) ([]byte, error) {
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("no member %s", name)
		}
		if err != nil {
			return nil, err
		}
		if hdr.Name == name {
			return io.ReadAll(tr)
		}
	}
}

func list(tr *tar.Reader) error {
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return err
		}
		fmt.Printf("%d %s\n", len(data), hdr.Name)
	}
}

func run(args []string) error {
	tr, done, err := open(args[0])
	if err != nil {
		return err
	}
	defer done()
	if args[1] == "--list" {
		return list(tr)
	}
	data, err := find(tr, args[1])
	if err != nil {
		return err
	}
	return os.WriteFile(args[2], data, 0o644)
}

func main() {
	args := os.Args[1:]
	if len(args) < 2 || (args[1] != "--list" && len(args) != 3) {
		fmt.Fprintln(os.Stderr, "usage: igreader BUNDLE.tar.gz --list | NAME OUT")
		os.Exit(2)
	}
	if err := run(args); err != nil {
		fmt.Fprintf(os.Stderr, "igreader: %s: %v\n", args[0], err)
		os.Exit(1)
	}
}
