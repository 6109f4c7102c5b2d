//go:build unix

package main

import "syscall"

// restrictUmask makes every file and folder the program creates private
// to its user (files 0600, folders 0700), including those created by
// libraries that ask for 0666 or 0755 (Bleve's index_meta.json, the WARC
// writer): the data folder holds crawled pages, alerts and webhook URLs,
// which are nobody else's business on a shared machine.
func restrictUmask() { syscall.Umask(0o077) }
