//go:build tools

// Package tools pins the etcd server this wrapper module builds.
package tools
