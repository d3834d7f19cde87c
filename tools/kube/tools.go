//go:build tools

// Package tools pins the Kubernetes commands this wrapper module builds.
package tools
