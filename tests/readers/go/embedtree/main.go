// SPDX-License-Identifier: MIT

// embedtree go:embeds a tree-profile bundle (copied to btfs/ at test time)
// and finds the host's entry the way tracee does: ID and VERSION_ID from
// os-release (quotes removed), uname's release and machine (aarch64 is
// arm64 in BTFHub), btfs/<ID>/<VERSION_ID>/<arch>/<release>.btf.
// Standard library only.
//
//	embedtree --count                   regular files that made it into the binary
//	embedtree --get KEY OUT             btfs/KEY to OUT
//	embedtree --host OS-RELEASE OUT     the host's entry to OUT; prints its key
package main

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"
)

//go:embed btfs
var btfs embed.FS

func count() (int, error) {
	n := 0
	err := fs.WalkDir(btfs, "btfs", func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return err
	})
	return n, err
}

func osRelease(path string) (id, version string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		k, v, ok := strings.Cut(s.Text(), "=")
		if !ok {
			continue
		}
		v = strings.Trim(v, "\"'")
		switch k {
		case "ID":
			id = v
		case "VERSION_ID":
			version = v
		}
	}
	return id, version, s.Err()
}

func cstr(b [65]int8) string {
	var sb strings.Builder
	for _, c := range b {
		if c == 0 {
			break
		}
		sb.WriteByte(byte(c))
	}
	return sb.String()
}

func hostKey(osrel string) (string, error) {
	id, version, err := osRelease(osrel)
	if err != nil {
		return "", err
	}
	var u syscall.Utsname
	if err := syscall.Uname(&u); err != nil {
		return "", err
	}
	arch := cstr(u.Machine)
	if arch == "aarch64" {
		arch = "arm64"
	}
	return fmt.Sprintf("%s/%s/%s/%s.btf", id, version, arch, cstr(u.Release)), nil
}

func get(key, out string) error {
	data, err := btfs.ReadFile("btfs/" + key)
	if err != nil {
		return err
	}
	return os.WriteFile(out, data, 0o644)
}

func run(args []string) error {
	switch {
	case len(args) == 1 && args[0] == "--count":
		n, err := count()
		if err == nil {
			fmt.Println(n)
		}
		return err
	case len(args) == 3 && args[0] == "--get":
		return get(args[1], args[2])
	case len(args) == 3 && args[0] == "--host":
		key, err := hostKey(args[1])
		if err != nil {
			return err
		}
		fmt.Println(key)
		return get(key, args[2])
	}
	fmt.Fprintln(os.Stderr, "usage: embedtree --count | --get KEY OUT | --host OS-RELEASE OUT")
	os.Exit(2)
	return nil
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "embedtree: %v\n", err)
		os.Exit(1)
	}
}
