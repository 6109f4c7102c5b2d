//go:build !unix

package main

// restrictUmask does nothing where there is no umask; the folder
// permissions of the data folder's parent apply.
func restrictUmask() {}
